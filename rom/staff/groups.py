"""The groups a user may see, with how many members and open flags each has."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields import SelectChoice

from rom.access import changeable_group_for, group_for, groups_for, leads, staff_view
from rom.audit import audited_read, record
from rom.extensions import db
from rom.models import (
    Battery,
    Client,
    Flag,
    FlagStatus,
    Group,
    GroupFormat,
    GroupKind,
    Language,
    Membership,
    Role,
    StaffUser,
)
from rom.services.batteries import battery_name
from rom.services.groups import GroupSettings, create_group, edit_group
from rom.services.waiting_list import open_places
from rom.staff import bp
from rom.staff.forms import GroupForm
from rom.transactions import committed


@bp.get("/groups")
@staff_view()
def groups() -> str:
    members = (
        sa.select(sa.func.count())
        .where(
            Membership.group_id == sa.literal_column("groups.id"), Membership.left_session.is_(None)
        )
        .scalar_subquery()
    )
    flags = (
        sa.select(sa.func.count())
        .where(Flag.group_id == sa.literal_column("groups.id"), Flag.status == FlagStatus.OPEN)
        .scalar_subquery()
    )
    query = groups_for(current_user).add_columns(members.label("members"), flags.label("flags"))
    return render_template(
        "staff/groups.html",
        rows=db.session.execute(query).all(),
        may_choose=current_user.has_role(Role.THERAPIST, Role.ADMIN),
    )


@bp.get("/groups/<int:group_id>")
@staff_view()
def group(group_id: int) -> str:
    """A group's members by pseudonymous code, with their state and open flags. Managers see
    the codes only; contact details are never shown here."""
    group = group_for(current_user, group_id)
    open_flags = (
        sa.select(sa.func.count())
        .where(Flag.membership_id == Membership.id, Flag.status == FlagStatus.OPEN)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Membership, Client.code, open_flags.label("flags"))
        .join(Client)
        .where(Membership.group_id == group.id)
        .order_by(Membership.left_session.is_not(None), Client.code)
    ).all()
    audited_read("view", "group_members", group.id, members=len(rows))
    return render_template(
        "staff/group.html",
        group=group,
        rows=rows,
        may_report=leads(current_user, group),
        places=open_places(group),
    )


def _group_form(group: Group | None) -> GroupForm:
    form = GroupForm(obj=group)
    if group is not None and not form.is_submitted():
        form.therapists.data = [t.id for t in group.therapists]
        form.kind.data = group.kind.value
        form.language.data = group.language.value
        form.format.data = group.format.value
    form.therapists.choices = [
        SelectChoice(u.id, u.name)
        for u in db.session.scalars(
            sa.select(StaffUser).where(StaffUser.holding(Role.THERAPIST)).order_by(StaffUser.name)
        )
    ]
    form.battery_id.choices = [SelectChoice(0, _("Standaard voor deze soort groep"))] + [
        SelectChoice(b.id, battery_name(b.name))
        for b in db.session.scalars(sa.select(Battery).order_by(Battery.name))
    ]
    return form


def _settings(form: GroupForm) -> GroupSettings:
    return GroupSettings(
        code=form.code.data.strip(),
        name=form.name.data.strip(),
        kind=GroupKind(form.kind.data),
        format=GroupFormat(form.format.data),
        planned_sessions=form.planned_sessions.data,
        intended_size=form.intended_size.data,
        start_date=form.start_date.data,
        start_time=form.start_time.data,
        therapist_ids=tuple(form.therapists.data),
        battery_id=form.battery_id.data or None,
        member_feedback=form.member_feedback.data,
        ask_topic=form.ask_topic.data,
        minimum_size=form.minimum_size.data,
        language=Language(form.language.data),
    )


@bp.route("/groups/new", methods=["GET", "POST"])
@staff_view(Role.THERAPIST, Role.ADMIN)
def new_group() -> str | Response:
    form = _group_form(None)
    if not form.is_submitted() and current_user.has_role(Role.THERAPIST):
        form.therapists.data = [current_user.id]
    if form.validate_on_submit():
        with committed() as unit:
            group = create_group(_settings(form))
            record(current_user, "create", "group", group.id)
        if not unit.refused:
            flash(_("Groep aangemaakt met haar sessies."))
            return redirect(url_for("staff.group", group_id=group.id))
        form.code.errors = [*form.code.errors, unit.reason]
    return render_template("staff/group_form.html", form=form, group=None), (
        422 if form.errors else 200
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@staff_view(Role.THERAPIST, Role.ADMIN)
def edit_group_page(group_id: int) -> str | Response:
    group = changeable_group_for(current_user, group_id)
    form = _group_form(group)
    if not form.is_submitted():
        form.battery_id.data = group.battery_id or 0
    if form.validate_on_submit():
        with committed() as unit:
            edit_group(group, _settings(form))
            record(current_user, "change", "group", group.id)
        if not unit.refused:
            flash(_("Groep opgeslagen."))
            return redirect(url_for("staff.group", group_id=group.id))
        form.planned_sessions.errors = [*form.planned_sessions.errors, unit.reason]
    return render_template("staff/group_form.html", form=form, group=group), (
        422 if form.errors else 200
    )

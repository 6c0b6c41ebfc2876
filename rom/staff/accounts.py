"""Staff accounts: the one-time link where an account sets its password (and enrols its second
factor), "forgot password", and the administrators' pages to invite, change roles and groups,
reset, deactivate and reactivate. Every change is audited: who changed what for whom."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import staff_view
from rom.audit import audited_read, record
from rom.extensions import db, limiter
from rom.messaging.account_messages import queue_account_link
from rom.models import (
    Group,
    LinkPurpose,
    Role,
    StaffSession,
    StaffUser,
    group_therapists,
    utcnow,
)
from rom.services import accounts
from rom.staff import bp, throttles
from rom.staff.auth import after_password
from rom.staff.forms import AccountForm, ForgotForm, InviteForm, PasswordForm, PlainForm
from rom.transactions import committed


@bp.route("/account/<token>", methods=["GET", "POST"])
def account_link(token: str) -> str | Response | tuple[str, int]:
    """Set a password through a one-time link; then the second factor where it is required."""
    link = accounts.open_link(token)
    if link is None:
        return render_template("staff/link_gone.html"), 410
    user = db.session.get(StaffUser, link.staff_id)
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        if form.password.data != form.repeat.data:
            error = _("De twee wachtwoorden zijn niet gelijk.")
        else:
            with committed() as unit:
                accounts.set_password(link, form.password.data)
                record(user, "set_password", "staff", user.id, purpose=link.purpose.value)
            if unit.refused:
                error = unit.reason
            else:
                return after_password(user)
    return render_template("staff/account_password.html", form=form, user=user, error=error), (
        422 if error else 200
    )


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(throttles.address_rate, methods=["POST"], on_breach=throttles.too_many)
def forgot_password() -> str:
    """The same answer whether or not the address has an account; if it has an active one, a
    link to set a new password goes out (the old password keeps working until it is used)."""
    form = ForgotForm()
    sent = False
    if form.validate_on_submit():
        user = accounts.account_by_email(form.email.data)
        if user is not None and user.active:
            token = accounts.issue_link(user, LinkPurpose.RESET)
            queue_account_link(user, token, LinkPurpose.RESET)
            record(user, "forgot_password", "staff", user.id)
            db.session.commit()
        sent = True
    return render_template("staff/forgot.html", form=form, sent=sent)


def _account(staff_id: int) -> StaffUser:
    return db.session.get(StaffUser, staff_id) or abort(404)


@bp.get("/accounts")
@staff_view(Role.ADMIN)
def accounts_list() -> str:
    people = db.session.scalars(sa.select(StaffUser).order_by(StaffUser.name)).all()
    led: dict[int, list[str]] = {}
    for staff_id, name in db.session.execute(
        sa.select(group_therapists.c.staff_id, Group.name)
        .join(Group, Group.id == group_therapists.c.group_id)
        .order_by(Group.name)
    ):
        led.setdefault(staff_id, []).append(name)
    audited_read("view", "accounts", None, accounts=len(people))
    return render_template(
        "staff/accounts.html", people=people, led={k: ", ".join(v) for k, v in led.items()}
    )


@bp.route("/accounts/new", methods=["GET", "POST"])
@staff_view(Role.ADMIN)
def invite_account() -> str | Response | tuple[str, int]:
    form = InviteForm()
    error = None
    if form.validate_on_submit():
        with committed() as unit:
            user = accounts.add_account(form.email.data, form.name.data, _chosen_roles(form))
            token = accounts.issue_link(user, LinkPurpose.SETUP, current_user)
            queue_account_link(user, token, LinkPurpose.SETUP)
            record(current_user, "invite", "staff", user.id, roles=_role_values(user))
        if unit.refused:
            error = unit.reason
        else:
            flash(_("%(name)s is uitgenodigd; de link is per e-mail verstuurd.", name=user.name))
            return redirect(url_for("staff.account", staff_id=user.id))
    return render_template("staff/account_new.html", form=form, error=error), (
        422 if error or form.errors else 200
    )


@bp.route("/accounts/<int:staff_id>", methods=["GET", "POST"])
@staff_view(Role.ADMIN)
def account(staff_id: int) -> str | Response | tuple[str, int]:
    person = _account(staff_id)
    form = AccountForm()
    groups = db.session.scalars(sa.select(Group).order_by(Group.name)).all()
    form.groups.choices = [(g.id, g.name) for g in groups]
    error = None
    if form.validate_on_submit():
        chosen = set(form.groups.data or [])
        with committed() as unit:
            before = (_role_values(person), _group_ids(person), person.intake)
            accounts.change_roles(person, _chosen_roles(form))
            _assign_groups(person, groups, chosen)
            if current_app.config["INTAKE_ACCESS"] == "intake":  # else the box is not shown
                person.intake = bool(form.intake.data) and person.has_role(Role.THERAPIST)
            after = (_role_values(person), _group_ids(person), person.intake)
            record(current_user, "change", "staff", person.id, before=before, after=after)
        if unit.refused:
            error = unit.reason
        else:
            flash(_("Vastgelegd."))
            return redirect(url_for("staff.account", staff_id=person.id))
    elif not form.is_submitted():
        form.roles.data = _role_values(person)
        form.groups.data = _group_ids(person)
        form.intake.data = person.intake
    live = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(StaffSession)
        .where(
            StaffSession.staff_id == person.id,
            StaffSession.ended_at.is_(None),
        )
    )
    return render_template(
        "staff/account.html",
        person=person,
        form=form,
        error=error,
        live_sessions=live,
    ), (422 if error or form.errors else 200)


def _chosen_roles(form: InviteForm | AccountForm) -> list[Role]:
    return [Role(value) for value in form.roles.data]


def _role_values(person: StaffUser) -> list[str]:
    return sorted(role.value for role in person.roles)


def _group_ids(person: StaffUser) -> list[int]:
    """The ids of the groups the person leads, in order."""
    return list(
        db.session.scalars(
            sa.select(group_therapists.c.group_id)
            .where(group_therapists.c.staff_id == person.id)
            .order_by(group_therapists.c.group_id)
        )
    )


def _assign_groups(person: StaffUser, groups: list[Group], chosen: set[int]) -> None:
    """A therapist leads exactly the chosen groups (of `groups`, all of them); other roles lead
    none."""
    wanted = chosen if person.has_role(Role.THERAPIST) else set()
    for group in groups:
        leads = person in group.therapists
        if group.id in wanted and not leads:
            group.therapists.append(person)
        elif group.id not in wanted and leads:
            group.therapists.remove(person)


ACTIONS = ("deactivate", "reactivate", "reset_password", "reset_second_factor")


@bp.post("/accounts/<int:staff_id>/<any(" + ", ".join(ACTIONS) + "):action>")
@staff_view(Role.ADMIN)
def account_action(staff_id: int, action: str) -> Response:
    person = _account(staff_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    with committed() as unit:
        detail = _act(person, action)
        record(current_user, action, "staff", person.id, **detail)
    if unit.refused:
        flash(unit.reason)
        return redirect(url_for("staff.account", staff_id=person.id))
    flash(_("Vastgelegd."))
    if person.id == current_user.id and action != "reactivate":
        session.clear()
        return redirect(url_for("staff.login"))
    return redirect(url_for("staff.account", staff_id=person.id))


def _act(person: StaffUser, action: str) -> dict[str, object]:
    if action == "deactivate":
        return {"sessions_ended": accounts.deactivate(person)}
    if action == "reactivate":
        accounts.reactivate(person)
        return {}
    if action == "reset_second_factor":
        return {"sessions_ended": accounts.reset_second_factor(person)}
    token = accounts.reset_password(person, current_user)
    queue_account_link(person, token, LinkPurpose.RESET)
    return {"at": utcnow().isoformat(timespec="seconds")}

"""A group's sessions: the plan, an extra session, cancelling one, and taking attendance on
one screen (one row per member, big targets for a tablet)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import led_group_for, staff_view
from rom.audit import audited_read, record
from rom.extensions import db
from rom.models import (
    AttendanceStatus,
    Client,
    GroupSession,
    Membership,
    Role,
    in_group_at,
)
from rom.services.attendance import (
    Recorded,
    may_take_attendance,
    record_attendance,
    recorded_attendance,
)
from rom.services.groups import add_session, cancel_session
from rom.staff import bp
from rom.staff.forms import ExtraSessionForm, PlainForm
from rom.transactions import committed


def _session_for(session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id) or abort(404)
    led_group_for(current_user, session.group_id)  # 404 when it is not the user's group
    return session


@bp.route("/groups/<int:group_id>/sessions", methods=["GET", "POST"])
@staff_view(Role.THERAPIST)
def sessions(group_id: int) -> str | Response:
    group = led_group_for(current_user, group_id)
    form = ExtraSessionForm()
    if form.validate_on_submit():
        with committed() as unit:
            session = add_session(group, form.day.data, form.at.data)
            record(current_user, "create", "session", None, group=group.id, number=session.number)
        if unit.refused:
            form.day.errors = [*form.day.errors, unit.reason]
        else:
            flash(_("Sessie %(number)s toegevoegd.", number=session.number))
            return redirect(url_for("staff.sessions", group_id=group.id))
    planned = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.group_id == group.id)
        .order_by(GroupSession.number)
    ).all()
    return render_template(
        "staff/sessions.html",
        group=group,
        sessions=planned,
        form=form,
        plain=PlainForm(),
        may_take=may_take_attendance,
    ), (422 if form.errors else 200)


@bp.post("/sessions/<int:session_id>/cancel")
@staff_view(Role.THERAPIST)
def cancel(session_id: int) -> Response:
    session = _session_for(session_id)
    if not PlainForm().validate_on_submit():
        abort(400)
    with committed() as unit:
        withdrawn = cancel_session(session)
        record(current_user, "change", "session", session.id, status="cancelled")
    if unit.refused:
        flash(unit.reason)
    else:
        flash(
            _(
                "Sessie %(number)s vervalt; %(count)s wachtende berichten ingetrokken.",
                number=session.number,
                count=withdrawn,
            )
        )
    return redirect(url_for("staff.sessions", group_id=session.group_id))


def _roster(session: GroupSession) -> list[tuple[Membership, str, Recorded | None]]:
    recorded = recorded_attendance(session)
    rows = db.session.execute(
        sa.select(Membership, Client.first_name, Client.code)
        .join(Client)
        .where(in_group_at(session.group_id, session.number))
        .order_by(Client.first_name, Client.code)
    ).all()
    return [(m, f"{name or ''} ({code})", recorded.get(m.id)) for m, name, code in rows]


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@staff_view(Role.THERAPIST)
def attendance(session_id: int) -> str | Response:
    session = _session_for(session_id)
    roster = _roster(session)
    form = PlainForm()
    error = None
    if form.validate_on_submit():
        statuses = {}
        for membership, _label, _status in roster:
            value = request.form.get(f"status-{membership.id}", "")
            if value not in {s.value for s in AttendanceStatus}:
                error = _("Kies voor iedereen aanwezig, afwezig of afgemeld.")
                break
            statuses[membership.id] = AttendanceStatus(value)
        if error is None:
            with committed() as unit:
                record_attendance(session, statuses, current_user.id)
                record(current_user, "change", "attendance", session.id, members=len(statuses))
            if unit.refused:
                error = unit.reason
            else:
                flash(_("Aanwezigheid van sessie %(number)s opgeslagen.", number=session.number))
                return redirect(url_for("staff.sessions", group_id=session.group_id))
    audited_read("view", "attendance", session.id)
    return render_template(
        "staff/attendance.html", session=session, roster=roster, form=form, error=error
    ), (422 if error else 200)

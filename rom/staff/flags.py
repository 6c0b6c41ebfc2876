"""The caseload: every open flag across the user's groups, most urgent first."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import flag_for, group_ids_for, staff_view, visible_flags
from rom.audit import audited_read
from rom.extensions import db
from rom.flag_reasons import action_text, kind_text, reasons_text
from rom.labels import SEVERITY_LABELS, label
from rom.models import Client, Flag, FlagStatus, Group, Membership, Role, Severity, utcnow
from rom.services.acknowledgements import acknowledge_flag
from rom.services.briefings import flag_done
from rom.services.escalation import escalations
from rom.staff import bp
from rom.staff.forms import AcknowledgeForm
from rom.transactions import committed

URGENCY = sa.case({"critical": 0, "high": 1, "medium": 2, "low": 3}, value=Flag.severity)


@bp.get("/")
@staff_view()
def home() -> Response:
    """Therapists and managers start at their signals; an administrator of an organisation that
    is not set up yet starts at the set-up checklist."""
    from rom.staff.setup import organisation_is_set_up

    if current_user.has_role(Role.ADMIN) and not organisation_is_set_up():
        return redirect(url_for("staff.setup"))
    return redirect(url_for("staff.caseload"))


def to_home() -> Response:
    """`/` leads to the staff pages (their login first)."""
    return redirect(url_for("staff.home"))


@bp.get("/flags")
@staff_view()
def caseload() -> str:
    rows = db.session.execute(
        sa.select(Flag, Group.name, Client)
        .join(Group, Flag.group_id == Group.id)
        .outerjoin(Membership, Flag.membership_id == Membership.id)
        .outerjoin(Client, Membership.client_id == Client.id)
        .where(
            Flag.status == FlagStatus.OPEN,
            visible_flags(current_user, group_ids_for(current_user)),
        )
        .order_by(Flag.acknowledged_at.is_not(None), URGENCY, Flag.raised_at.desc())
    ).all()
    audited_read("view", "caseload", None, flags=[flag.id for flag, _group, _client in rows])
    language = current_user.language
    now = utcnow()
    return render_template(
        "staff/caseload.html",
        rows=rows,
        form=AcknowledgeForm(),
        reasons=lambda f: reasons_text(f.reasons, language),
        action=lambda f: action_text(f.suggested_action, language),
        kind=lambda f: kind_text(f.kind.value, language),
        severity=lambda f: label(SEVERITY_LABELS, f.severity),
        done=lambda f: flag_done(f, language),
        overdue=lambda f: _overdue(f, now),
        escalated=escalations(
            [flag.id for flag, _group, _client in rows if flag.severity == Severity.CRITICAL]
        ),
        may_acknowledge=current_user.has_role(Role.THERAPIST),
    )


def _overdue(flag: Flag, now: datetime) -> bool:
    """A critical flag nobody recorded an action on within CRITICAL_ACTION_HOURS."""
    limit = timedelta(hours=current_app.config["CRITICAL_ACTION_HOURS"])
    return (
        flag.severity == Severity.CRITICAL
        and flag.acknowledged_at is None
        and now - flag.raised_at > limit
    )


@bp.post("/flags/<int:flag_id>/acknowledge")
@staff_view(Role.THERAPIST)
def acknowledge(flag_id: int) -> Response:
    flag = flag_for(current_user, flag_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        flash(_("Kies een actie."))
        return redirect(url_for("staff.caseload"))
    with committed():
        acknowledge_flag(flag, current_user, form.action.data, form.note.data)
    flash(_("Vastgelegd."))
    return redirect(url_for("staff.caseload"))

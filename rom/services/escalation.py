"""A critical flag nobody acted on does not wait quietly. After CRITICAL_ACTION_HOURS without a
recorded action the group's therapists (the co-therapist included) are told it is overdue; after
twice that time the organisation's named backup (CRITICAL_BACKUP_EMAIL) is told as well. Each step
goes out once per flag; an action recorded in between stops what has not gone out. The e-mails
carry no name, code or answer: only that a flag waits, and where to log in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from rom.audit import record
from rom.extensions import db
from rom.links import link_to
from rom.messaging.outbox import enqueue
from rom.messaging.texts import ESCALATION, compose
from rom.models import Flag, FlagStatus, Group, OutboxMessage, Severity, utcnow

PURPOSE = "escalation"


@dataclass(frozen=True)
class Escalation:
    """A step taken on an overdue flag: to whom ('therapists' or 'backup') and when."""

    step: str
    at: datetime


def overdue_critical_flags(since: datetime) -> list[Flag]:
    """Open critical flags raised at or before `since` without a recorded action."""
    return list(
        db.session.scalars(
            sa.select(Flag).where(
                Flag.severity == Severity.CRITICAL,
                Flag.status == FlagStatus.OPEN,
                Flag.acknowledged_at.is_(None),
                Flag.raised_at <= since,
            )
        )
    )


def escalate_overdue_critical_flags(now: datetime | None = None) -> int:
    """Queue the escalation e-mails that are due; returns how many were queued (the caller
    commits)."""
    now = now or utcnow()
    hours = timedelta(hours=current_app.config["CRITICAL_ACTION_HOURS"])
    queued = 0
    for flag in overdue_critical_flags(now - hours):
        for therapist in db.session.get(Group, flag.group_id).therapists:
            if therapist.active:
                queued += _queue(
                    flag, "therapists", therapist.email, therapist.language, therapist.id
                )
    backup = current_app.config["CRITICAL_BACKUP_EMAIL"]
    if backup:
        for flag in overdue_critical_flags(now - 2 * hours):
            queued += _queue(flag, "backup", backup, "nl", None)
    return queued


def _queue(flag: Flag, step: str, address: str, language: str, staff_id: int | None) -> int:
    key = f"{PURPOSE}:{flag.id}:{step}" + (f":{staff_id}" if staff_id else "")
    hours = current_app.config["CRITICAL_ACTION_HOURS"] * (1 if step == "therapists" else 2)
    text = compose(ESCALATION, language, hours=str(hours), link=link_to("staff.caseload"))
    if not enqueue(key, PURPOSE, address, text):
        return 0
    record(None, "escalate", "flag", flag.id, actor_kind="system", step=step)
    return 1


def escalations(flag_ids: list[int]) -> dict[int, list[Escalation]]:
    """The steps already taken per flag, first first (for the flag list)."""
    if not flag_ids:
        return {}
    oldest = db.session.scalar(sa.select(sa.func.min(Flag.raised_at)).where(Flag.id.in_(flag_ids)))
    rows = db.session.execute(
        sa.select(OutboxMessage.dedupe_key, OutboxMessage.created_at)
        .where(OutboxMessage.purpose == PURPOSE, OutboxMessage.created_at >= oldest)
        .order_by(OutboxMessage.created_at)
    ).all()
    wanted = set(flag_ids)
    taken: dict[int, dict[str, Escalation]] = {}
    for key, at in rows:
        _, flag_id, step, *_staff = key.split(":")
        if int(flag_id) in wanted:
            taken.setdefault(int(flag_id), {}).setdefault(step, Escalation(step, at))
    return {flag_id: list(steps.values()) for flag_id, steps in taken.items()}

"""Attendance taken at a session: one row per member, corrected in place; taking it marks the
session held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from rom.extensions import db
from rom.models import (
    Attendance,
    AttendanceStatus,
    GroupSession,
    Membership,
    SessionStatus,
    StaffUser,
    in_group_at,
    utcnow,
)
from rom.refusals import Refusal


@dataclass(frozen=True)
class Recorded:
    """A member's attendance as stored: what, by whom (a name, or None for an import) and when."""

    status: AttendanceStatus
    by: str | None
    at: datetime


def recorded_attendance(session: GroupSession) -> dict[int, Recorded]:
    """The attendance stored for the session, by membership id: the start of every page that
    edits it (a member without a row has none, and no page fills one in for them)."""
    rows = db.session.execute(
        sa.select(
            Attendance.membership_id, Attendance.status, StaffUser.name, Attendance.recorded_at
        )
        .outerjoin(StaffUser, Attendance.recorded_by_id == StaffUser.id)
        .where(Attendance.session_id == session.id)
    ).all()
    return {membership_id: Recorded(status, by, at) for membership_id, status, by, at in rows}


class AttendanceError(Refusal):
    """Attendance that cannot be recorded as given; nothing was changed."""


EARLIEST = timedelta(hours=12)  # attendance can be taken from the morning of the session


def may_take_attendance(session: GroupSession, now: datetime | None = None) -> bool:
    return (
        session.status != SessionStatus.CANCELLED
        and session.planned_start <= (now or utcnow()) + EARLIEST
    )


def record_attendance(
    session: GroupSession,
    statuses: dict[int, AttendanceStatus],
    recorded_by_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Record (or correct) each member's attendance and mark the session held (the caller
    commits). Every membership must belong to the session's group."""
    if session.planned_start > (now or utcnow()) + EARLIEST:
        raise AttendanceError(_l("Deze sessie moet nog plaatsvinden."))
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError(
            _l("Deze sessie is geannuleerd; er is geen aanwezigheid te registreren.")
        )
    members = _members_of(session)
    strangers = set(statuses) - members
    if strangers:
        raise AttendanceError(
            _l("Niet alle gekozen deelnemers zitten in deze groep bij deze sessie.")
        )
    existing = {
        row.membership_id: row
        for row in db.session.scalars(
            sa.select(Attendance).where(Attendance.session_id == session.id)
        )
    }
    for membership_id, status in statuses.items():
        row = existing.get(membership_id)
        if row is None:
            db.session.add(
                Attendance(
                    session_id=session.id,
                    membership_id=membership_id,
                    status=AttendanceStatus(status),
                    recorded_by_id=recorded_by_id,
                )
            )
        elif row.status != status:
            row.status = AttendanceStatus(status)
            row.recorded_at = utcnow()
            row.recorded_by_id = recorded_by_id
    session.status = SessionStatus.HELD


def _members_of(session: GroupSession) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Membership.id).where(in_group_at(session.group_id, session.number))
        )
    )

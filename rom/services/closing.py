"""A held session's questionnaires close when every invitation for it was answered or has
expired; then the flags are recomputed with its answers, once per session."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from rom.clock import to_local
from rom.extensions import db
from rom.models import GroupSession, Invitation, SessionStatus, utcnow
from rom.services.flagging import SyncSummary, recompute_flags


def closed_sessions(now: datetime) -> list[GroupSession]:
    """Held sessions with invitations, none of them still open, not yet closed."""
    still_open = (
        sa.select(Invitation.id)
        .where(
            Invitation.session_id == GroupSession.id,
            Invitation.completed_at.is_(None),
            Invitation.expires_at > now,
        )
        .exists()
    )
    invited = sa.select(Invitation.id).where(Invitation.session_id == GroupSession.id).exists()
    return list(
        db.session.scalars(
            sa.select(GroupSession).where(
                GroupSession.status == SessionStatus.HELD,
                GroupSession.questionnaires_closed_at.is_(None),
                invited,
                ~still_open,
            )
        )
    )


def close_sessions(now: datetime | None = None) -> SyncSummary | None:
    """Recompute the flags of the groups whose sessions' questionnaires closed since the last
    run, and mark those sessions closed. None when nothing closed (the flags were not touched)."""
    now = now or utcnow()
    sessions = closed_sessions(now)
    if not sessions:
        return None
    day = to_local(now, current_app.config["TIMEZONE"]).date()
    summary = recompute_flags(day, {session.group_id for session in sessions})
    for session in sessions:
        session.questionnaires_closed_at = now
    return summary

"""A notice to a group's therapists some hours before each session that its briefing is ready:
a link and nothing else (no names, scores or answers), through the outbox, once per session."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from rom.extensions import db
from rom.links import link_to
from rom.messaging.outbox import enqueue
from rom.messaging.texts import BRIEFING_READY, compose
from rom.models import (
    GroupSession,
    SessionStatus,
    StaffUser,
    group_therapists,
    utcnow,
)


def queue_briefing_notices(now: datetime | None = None) -> int:
    """Queue a notice for every session starting within BRIEFING_NOTICE_HOURS; idempotent."""
    moment = now or utcnow()
    horizon = moment + timedelta(hours=current_app.config["BRIEFING_NOTICE_HOURS"])
    rows = db.session.execute(
        sa.select(GroupSession.id, StaffUser.id, StaffUser.email, StaffUser.language)
        .join(group_therapists, group_therapists.c.group_id == GroupSession.group_id)
        .join(StaffUser, StaffUser.id == group_therapists.c.staff_id)
        .where(
            GroupSession.status == SessionStatus.PLANNED,
            GroupSession.planned_start > moment,
            GroupSession.planned_start <= horizon,
            StaffUser.active,
        )
    ).all()
    queued = 0
    for session_id, staff_id, email, language in rows:
        link = link_to("staff.briefing_page", session_id=session_id)
        text = compose(BRIEFING_READY, language, link=link)
        queued += enqueue(f"briefing:{session_id}:{staff_id}", "briefing", email, text)
    return queued

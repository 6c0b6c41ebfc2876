"""A notice to a group's therapists some hours before each session that its briefing is ready:
a link and nothing else (no names, scores or answers), through the outbox, once per session."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from rom.extensions import db
from rom.links import link_to
from rom.models import (
    Channel,
    GroupSession,
    OutboxMessage,
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
        sa.select(GroupSession.id, StaffUser.id, StaffUser.email)
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
    for session_id, staff_id, email in rows:
        key = f"briefing:{session_id}:{staff_id}"
        if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        link = link_to("staff.briefing_page", session_id=session_id)
        db.session.add(
            OutboxMessage(
                dedupe_key=key,
                purpose="briefing",
                channel=Channel.EMAIL,
                recipient=email,
                subject="Kring: de briefing voor uw volgende groepssessie staat klaar",
                body=(
                    "De briefing voor uw volgende groepssessie staat klaar in Kring.\n"
                    f"Lees hem vóór de sessie: {link}\n\n"
                    "The briefing for your next group session is ready in Kring.\n"
                    f"Read it before the session: {link}\n"
                ),
            )
        )
        queued += 1
    db.session.commit()
    return queued

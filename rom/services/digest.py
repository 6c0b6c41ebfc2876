"""A daily e-mail to each therapist, in their language, with how many new signals their groups
have (no details)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from rom.extensions import db
from rom.links import link_to
from rom.messaging.outbox import enqueue
from rom.messaging.texts import DIGEST, compose
from rom.models import Flag, Role, StaffUser, group_therapists, utcnow


def queue_digests() -> int:
    now = utcnow()
    since = now - timedelta(days=1)
    counts = db.session.execute(
        sa.select(StaffUser.id, StaffUser.email, StaffUser.language, sa.func.count(Flag.id))
        .join(group_therapists, group_therapists.c.staff_id == StaffUser.id)
        .join(Flag, Flag.group_id == group_therapists.c.group_id)
        .where(StaffUser.holding(Role.THERAPIST), StaffUser.active, Flag.raised_at >= since)
        .group_by(StaffUser.id, StaffUser.email, StaffUser.language)
    ).all()
    link = link_to("staff.caseload")
    queued = 0
    for staff_id, email, language, count in counts:
        text = compose(DIGEST, language, count=str(count), link=link)
        queued += enqueue(f"digest:{staff_id}:{now.date().isoformat()}", "digest", email, text)
    return queued

"""A daily e-mail to each therapist with how many new signals their groups have (no details)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from rom.extensions import db
from rom.links import link_to
from rom.models import Channel, Flag, OutboxMessage, Role, StaffUser, group_therapists, utcnow


def queue_digests() -> int:
    now = utcnow()
    since = now - timedelta(days=1)
    counts = db.session.execute(
        sa.select(StaffUser.id, StaffUser.email, sa.func.count(Flag.id))
        .join(group_therapists, group_therapists.c.staff_id == StaffUser.id)
        .join(Flag, Flag.group_id == group_therapists.c.group_id)
        .where(StaffUser.holding(Role.THERAPIST), StaffUser.active, Flag.raised_at >= since)
        .group_by(StaffUser.id, StaffUser.email)
    ).all()
    link = link_to("staff.caseload")
    queued = 0
    for staff_id, email, count in counts:
        key = f"digest:{staff_id}:{now.date().isoformat()}"
        if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        db.session.add(
            OutboxMessage(
                dedupe_key=key,
                purpose="digest",
                channel=Channel.EMAIL,
                recipient=email,
                subject="Kring: nieuwe signalen in uw groepen",
                body=(
                    f"Er zijn {count} nieuwe signalen in uw groepen sinds gisteren.\n"
                    f"Bekijk ze in Kring: {link}\n\n"
                    f"There are {count} new signals in your groups since yesterday.\n"
                    f"See them in Kring: {link}\n"
                ),
            )
        )
        queued += 1
    db.session.commit()
    return queued

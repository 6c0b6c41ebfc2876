"""Putting a message in the outbox, once per key: the scheduler's delivery sends it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from rom.extensions import db
from rom.models import Channel, OutboxMessage


def enqueue(
    key: str,
    purpose: str,
    recipient: str,
    text: tuple[str, str],
    *,
    channel: Channel = Channel.EMAIL,
    due: datetime | None = None,
) -> bool:
    """Queue the message (subject, body) in the caller's transaction unless one with this key
    is queued already (a job run twice, a page saved and then sent); True when queued."""
    if db.session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return False
    subject, body = text
    message = OutboxMessage(
        dedupe_key=key,
        purpose=purpose,
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
    )
    if due is not None:
        message.next_attempt_at = due
    db.session.add(message)
    return True

"""Expired invitations: their waiting messages are cancelled and the links in them removed."""

from __future__ import annotations

import sqlalchemy as sa

from rom.extensions import db
from rom.messaging.delivery import TOKEN_IN_LINK
from rom.models import Invitation, OutboxMessage, OutboxStatus, utcnow


def cancel_messages_of_expired_invitations() -> int:
    now = utcnow()
    waiting = db.session.scalars(
        sa.select(OutboxMessage)
        .join(Invitation, OutboxMessage.invitation_id == Invitation.id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, Invitation.expires_at <= now)
    )
    count = cancel_messages(list(waiting))
    return count


def cancel_messages(messages: list[OutboxMessage]) -> int:
    """Cancel waiting messages and remove the links from their stored bodies."""
    for message in messages:
        message.status = OutboxStatus.CANCELLED
        message.body = TOKEN_IN_LINK.sub(r"\g<1>[cancelled]", message.body)
    return len(messages)


def withdraw_invitations(invitations: list[Invitation]) -> int:
    """Expire these invitations now and cancel their waiting messages (links removed), in the
    caller's transaction. Returns how many messages were cancelled."""
    now = utcnow()
    for invitation in invitations:
        invitation.expires_at = min(invitation.expires_at, now)
    waiting = db.session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.invitation_id.in_([i.id for i in invitations]),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
    ).all()
    return cancel_messages(list(waiting))

"""Deliver the outbox: claim a message with a conditional UPDATE, send, record; retry with backoff.

State is committed before and after each send, so a crash in between leaves a message marked
'sending' with an expired claim: it is picked up again after CLAIM_TIMEOUT (at most one extra
attempt for that one message, never a batch resent).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from rom.extensions import db
from rom.messaging.senders import DeliveryError, Sender, Senders
from rom.models import Attendance, Channel, Invitation, OutboxMessage, OutboxStatus, utcnow
from rom.services.invitations import still_asked

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)
CLAIM_TIMEOUT = timedelta(minutes=5)
TOKEN_IN_LINK = re.compile(r"(/q/|/staff/account/)[A-Za-z0-9_-]+")  # member and account links


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    retried: int
    failed: int
    cancelled: int = 0


def due_ids(now: datetime, limit: int, channels: list[Channel]) -> list[int]:
    """Messages due now on the given channels, waiting or claimed by a sender that vanished."""
    pending = sa.and_(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now
    )
    stale = sa.and_(
        OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= now
    )
    query = (
        sa.select(OutboxMessage.id)
        .where(sa.or_(pending, stale), OutboxMessage.channel.in_(channels))
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def claim(message_id: int, now: datetime, timeout: timedelta = CLAIM_TIMEOUT) -> bool:
    """Take the message for this worker; False when another worker took it first."""
    taken = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(
            status=OutboxStatus.SENDING,
            next_attempt_at=now + timeout,
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return taken.rowcount == 1


def deliver_due(
    senders: Senders,
    now: datetime | None = None,
    limit: int = 500,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> DeliveryReport:
    """Send what is due on every channel that has a sender; the others wait in the outbox."""
    now = now or utcnow()
    outcomes: list[str] = []
    try:
        for message_id in due_ids(now, limit, list(senders)):
            if claim(message_id, now, claim_timeout):
                outcomes.append(_attempt(senders, message_id, now))
    finally:
        for sender in senders.values():
            sender.close()
    return DeliveryReport(*(outcomes.count(o) for o in ("sent", "retry", "failed", "cancelled")))


def _attempt(senders: Senders, message_id: int, now: datetime) -> str:
    """One message; an unexpected error is recorded as a failed try, never loses the batch."""
    message = db.session.get(OutboxMessage, message_id)
    try:
        return _send_one(senders[message.channel], message, now)
    except Exception as error:
        log.exception("delivery of outbox message %s failed unexpectedly", message_id)
        db.session.rollback()
        return _record_failure(
            db.session.get(OutboxMessage, message_id), f"unexpected: {type(error).__name__}", now
        )


def _still_wanted(message: OutboxMessage, now: datetime) -> bool:
    """A member's message is pointless once they submitted or the link expired, or when it
    would only ask about a session they were recorded as away from."""
    if message.invitation_id is None:
        return True
    invitation = db.session.get(Invitation, message.invitation_id)
    if invitation.completed_at is not None or now >= invitation.expires_at:
        return False
    attendance = db.session.scalar(
        sa.select(Attendance.status).where(
            Attendance.session_id == invitation.session_id,
            Attendance.membership_id == invitation.membership_id,
        )
    )
    return bool(still_asked(invitation.instrument_ids, attendance, invitation.draft or {}))


def _send_one(sender: Sender, message: OutboxMessage, now: datetime) -> str:
    if not _still_wanted(message, now):
        message.status = OutboxStatus.CANCELLED
        message.body = TOKEN_IN_LINK.sub(r"\g<1>[cancelled]", message.body)
        db.session.commit()
        return "cancelled"
    try:
        sender.send(
            message.recipient,
            message.subject,
            message.body,
            message_id=f"<{message.dedupe_key.replace(':', '.')}@kring>",
        )
    except DeliveryError as error:
        return _record_failure(message, str(error), now)
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.body = TOKEN_IN_LINK.sub(r"\g<1>[sent]", message.body)  # the link lives on only in
    message.last_error = None  # the member's inbox
    db.session.commit()
    return "sent"


def _record_failure(message: OutboxMessage, error: str, now: datetime) -> str:
    message.last_error = error[:500]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        outcome = "failed"
    else:
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = now + FIRST_RETRY * 2 ** (message.attempts - 1)
        outcome = "retry"
    db.session.commit()
    return outcome

"""Deliver the outbox: claim messages with a conditional UPDATE, send, record; retry with backoff.

Messages are claimed CLAIM_BATCH at a time and handed over on up to `connections` connections
at once (a mail relay answers each command after a round trip, so one connection leaves it
waiting). A message's state is committed before and as soon as its send returns (outcomes are
written on a connection of their own in autocommit: one round trip each), so a crash leaves the
messages in flight marked 'sending' with a claim that expires: they are picked up
again after CLAIM_TIMEOUT (at most one extra attempt for each message in flight, never a batch
resent), and the claimed ones not yet sent simply wait for it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import sqlalchemy as sa

from rom.extensions import db
from rom.messaging.senders import DeliveryError, Sender, Senders
from rom.models import (
    Attendance,
    AttendanceStatus,
    Channel,
    Invitation,
    OutboxMessage,
    OutboxStatus,
    utcnow,
)
from rom.services.invitations import ATTENDANCE_ASKED_ABOUT, still_asked

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(minutes=1)
CLAIM_TIMEOUT = timedelta(minutes=5)
CLAIM_BATCH = 25  # at the SMTP timeout of 10 s a batch still leaves within its claim
CONNECTIONS = 4  # messages handed over at once
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


def claim(message_ids: list[int], now: datetime, timeout: timedelta = CLAIM_TIMEOUT) -> list[int]:
    """Take these messages for this worker, in one statement; the ids it got (another worker may
    have taken some first)."""
    taken = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(
            status=OutboxStatus.SENDING,
            next_attempt_at=now + timeout,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    claimed = sorted(taken.scalars())
    db.session.commit()
    return claimed


def deliver_due(
    senders: Senders,
    now: datetime | None = None,
    limit: int = 500,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
    connections: int = CONNECTIONS,
) -> DeliveryReport:
    """Send what is due on every channel that has a sender; the others wait in the outbox."""
    now = now or utcnow()
    outcomes: list[str] = []
    due = due_ids(now, limit, list(senders))
    try:
        connections = max(1, connections)
        with ThreadPoolExecutor(connections, "delivery") as pool, _outcomes() as ledger:
            for start in range(0, len(due), CLAIM_BATCH):
                claimed = claim(due[start : start + CLAIM_BATCH], now, claim_timeout)
                outcomes += _deliver_batch(pool, connections, senders, claimed, now, ledger)
    finally:
        for sender in senders.values():
            sender.close()
    return DeliveryReport(*(outcomes.count(o) for o in ("sent", "retry", "failed", "cancelled")))


@contextmanager
def _outcomes() -> Iterator[sa.Connection]:
    """The connection outcomes are written on: in autocommit, so each is durable at once in one
    round trip, without a transaction, a pool checkout or a ping per message."""
    with db.engine.connect() as connection:
        yield connection.execution_options(isolation_level="AUTOCOMMIT")


def _deliver_batch(
    pool: ThreadPoolExecutor,
    connections: int,
    senders: Senders,
    message_ids: list[int],
    now: datetime,
    ledger: sa.Connection,
) -> list[str]:
    """Hand the claimed messages over in parallel, never more than `connections` at once that
    are not recorded yet (what a crash could send twice); record each as soon as its send
    returns (the database is written from this thread only)."""
    outcomes, waiting = [], []
    for message in _claimed_messages(message_ids):
        if _still_wanted(message, now):
            waiting.append(message)
        else:
            outcomes.append(_recorded(ledger, message, _cancel, now))
    waiting.reverse()
    running: dict[Future[None], _Claimed] = {}
    while waiting or running:
        while waiting and len(running) < connections:
            message = waiting.pop()
            running[pool.submit(_hand_over, senders[message.channel], message)] = message
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for done in finished:
            message, error = running.pop(done), done.exception()
            after_send = partial(_after_send, error=error, now=now)
            outcomes.append(_recorded(ledger, message, after_send, now))
    return outcomes


@dataclass(frozen=True)
class _Claimed:
    """A claimed message as it is sent, with what decides whether it is still wanted."""

    id: int
    channel: Channel
    recipient: str
    subject: str
    body: str
    dedupe_key: str
    attempts: int
    invitation_id: int | None
    completed_at: datetime | None
    expires_at: datetime | None
    instrument_ids: list[str] | None
    draft: dict[str, dict[str, int]] | None
    attendance: AttendanceStatus | None


_CLAIMED = (
    sa.select(
        OutboxMessage.id,
        OutboxMessage.channel,
        OutboxMessage.recipient,
        OutboxMessage.subject,
        OutboxMessage.body,
        OutboxMessage.dedupe_key,
        OutboxMessage.attempts,
        OutboxMessage.invitation_id,
        Invitation.completed_at,
        Invitation.expires_at,
        Invitation.instrument_ids,
        Invitation.draft,
        Attendance.status.label("attendance"),
    )
    .outerjoin(Invitation, OutboxMessage.invitation_id == Invitation.id)
    .outerjoin(Attendance, ATTENDANCE_ASKED_ABOUT)
)


def _claimed_messages(message_ids: list[int]) -> list[_Claimed]:
    """The claimed messages with what decides whether each is still wanted, in one query."""
    if not message_ids:
        return []
    rows = db.session.execute(_CLAIMED.where(OutboxMessage.id.in_(message_ids))).all()
    db.session.commit()  # no transaction stays open while the batch is sent
    return [_Claimed(**row._asdict()) for row in rows]


def _hand_over(sender: Sender, message: _Claimed) -> None:
    """Runs on a delivery thread: the send only, no database."""
    sender.send(
        message.recipient,
        message.subject,
        message.body,
        message_id=f"<{message.dedupe_key.replace(':', '.')}@kring>",
    )


def _recorded(
    ledger: sa.Connection,
    message: _Claimed,
    record: Callable[[sa.Connection, _Claimed], str],
    now: datetime,
) -> str:
    """Record one message's outcome; an unexpected error is recorded as a failed try and never
    loses the batch."""
    try:
        return record(ledger, message)
    except Exception as error:
        log.exception("delivery of outbox message %s failed unexpectedly", message.id)
        reason = f"unexpected: {type(error).__name__}"
        return _record_failure(ledger, message.id, message.attempts, reason, now)


def _still_wanted(message: _Claimed, now: datetime) -> bool:
    """A member's message is pointless once they submitted or the link expired, or when it
    would only ask about a session they were recorded as away from."""
    if message.invitation_id is None:
        return True
    if message.completed_at is not None or now >= message.expires_at:
        return False
    return bool(still_asked(message.instrument_ids, message.attendance, message.draft or {}))


def _cancel(ledger: sa.Connection, message: _Claimed) -> str:
    _record(
        ledger,
        message.id,
        status=OutboxStatus.CANCELLED,
        body=TOKEN_IN_LINK.sub(r"\g<1>[cancelled]", message.body),
    )
    return "cancelled"


def _after_send(
    ledger: sa.Connection, message: _Claimed, error: BaseException | None, now: datetime
) -> str:
    if isinstance(error, DeliveryError):
        return _record_failure(ledger, message.id, message.attempts, str(error), now)
    if error is not None:
        raise error
    _record(
        ledger,
        message.id,
        status=OutboxStatus.SENT,
        sent_at=now,
        body=TOKEN_IN_LINK.sub(r"\g<1>[sent]", message.body),  # the link lives on only in the
        last_error=None,  # member's inbox
    )
    return "sent"


def _record_failure(
    ledger: sa.Connection, message_id: int, attempts: int, error: str, now: datetime
) -> str:
    if attempts >= MAX_ATTEMPTS:
        _record(ledger, message_id, status=OutboxStatus.FAILED, last_error=error[:500])
        return "failed"
    _record(
        ledger,
        message_id,
        status=OutboxStatus.PENDING,
        next_attempt_at=now + FIRST_RETRY * 2 ** (attempts - 1),
        last_error=error[:500],
    )
    return "retry"


def _record(ledger: sa.Connection, message_id: int, **values: object) -> None:
    """What became of one message, durable at once on the autocommit ledger (see the module's
    docstring); a Core statement, as there is no object to keep in step."""
    outbox = OutboxMessage.__table__
    ledger.execute(sa.update(outbox).where(outbox.c.id == message_id).values(**values))

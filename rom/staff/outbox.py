"""The outbox for administrators: what is waiting, sent or failed, to whom by member code or
staff name, never a message's text (it holds the member's personal link) nor an address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import render_template

from rom.access import staff_view
from rom.audit import audited_read
from rom.extensions import db
from rom.models import (
    Client,
    Invitation,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Referral,
    Role,
    StaffUser,
)
from rom.staff import bp

LIMIT = 200


@dataclass(frozen=True)
class OutboxLine:
    status: OutboxStatus
    purpose: str
    channel: str
    member: str | None  # the member's code, for a message to a member
    staff: str | None  # the staff member's name, for a message to staff
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    attempts: int
    failed: bool


def outbox_lines() -> list[OutboxLine]:
    member_code = sa.func.coalesce(
        sa.select(Client.code)
        .join(Membership, Membership.client_id == Client.id)
        .where(Membership.id == Invitation.membership_id)
        .scalar_subquery(),
        sa.select(Client.code)
        .join(Referral, Referral.client_id == Client.id)
        .where(Referral.id == Invitation.referral_id)
        .scalar_subquery(),
    )
    rows = db.session.execute(
        sa.select(OutboxMessage, member_code, StaffUser.name)
        .outerjoin(Invitation, OutboxMessage.invitation_id == Invitation.id)
        .outerjoin(StaffUser, sa.func.lower(OutboxMessage.recipient) == StaffUser.email)
        .order_by(OutboxMessage.id.desc())
        .limit(LIMIT)
    ).all()
    return [
        OutboxLine(
            status=message.status,
            purpose=message.purpose,
            channel=message.channel.value,
            member=code,
            staff=None if code else staff,
            created_at=message.created_at,
            next_attempt_at=message.next_attempt_at,
            sent_at=message.sent_at,
            attempts=message.attempts,
            failed=message.last_error is not None,
        )
        for message, code, staff in rows
    ]


@bp.get("/outbox")
@staff_view(Role.ADMIN)
def outbox() -> str:
    lines = outbox_lines()
    audited_read("view", "outbox", None, messages=len(lines))
    return render_template("staff/outbox.html", lines=lines)

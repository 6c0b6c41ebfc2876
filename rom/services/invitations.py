"""Invitations: a member's personal link for one session's questionnaires."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from rom.extensions import db
from rom.models import Battery, GroupSession, Invitation, Membership, utcnow
from rom.tokens import new_token, token_hash


class LinkUnknownError(LookupError):
    """No invitation has this token."""


class LinkGoneError(LookupError):
    """The invitation expired or was submitted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def instruments_for(battery: Battery, membership: Membership, session: GroupSession) -> list[str]:
    """The battery's instruments asked at this member's own session number."""
    own = session.number - membership.joined_session + 1
    return [b.instrument_id for b in battery.instruments if b.asked_at(own)]


def invite(
    membership: Membership, session: GroupSession, battery: Battery
) -> tuple[Invitation, str]:
    """A new invitation in the caller's transaction, and its token (shown once, never stored)."""
    token, hashed = new_token()
    send_at = session.planned_start + timedelta(hours=battery.send_offset_hours)
    invitation = Invitation(
        membership_id=membership.id,
        session_id=session.id,
        battery_id=battery.id,
        instrument_ids=instruments_for(battery, membership, session),
        token_hash=hashed,
        send_at=send_at,
        expires_at=send_at + timedelta(hours=battery.expires_after_hours),
    )
    db.session.add(invitation)
    return invitation, token


def open_invitation(token: str, now: datetime | None = None) -> Invitation:
    """The invitation behind a token, or LinkUnknownError / LinkGoneError; reveals nothing."""
    membership = joinedload(Invitation.membership)
    invitation = db.session.scalar(
        sa.select(Invitation)
        .where(Invitation.token_hash == token_hash(token))
        .options(
            membership.joinedload(Membership.client),
            membership.joinedload(Membership.group),
            joinedload(Invitation.session),
        )
    )
    if invitation is None:
        raise LinkUnknownError
    if invitation.completed_at is not None:
        raise LinkGoneError("submitted")
    if (now or utcnow()) >= invitation.expires_at:
        raise LinkGoneError("expired")
    return invitation

"""Invitations: a member's personal link for one session's questionnaires."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from rom.extensions import db
from rom.instruments import library
from rom.models import (
    Attendance,
    AttendanceStatus,
    Battery,
    Client,
    Group,
    GroupSession,
    Invitation,
    Membership,
    Referral,
    utcnow,
)
from rom.tokens import new_token, token_hash


class LinkUnknownError(LookupError):
    """No invitation has this token."""


class LinkGoneError(LookupError):
    """The invitation expired or was submitted; `language` is the member's, where known."""

    def __init__(self, reason: str, language: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.language = language


def instruments_for(battery: Battery, membership: Membership, session: GroupSession) -> list[str]:
    """The battery's instruments asked at this member's own session number (never one the
    library keeps for intake only, nor one it no longer has)."""
    own = session.number - membership.joined_session + 1
    usable = set(library().for_sessions())
    return [
        b.instrument_id
        for b in battery.instruments
        if b.asked_at(own) and b.instrument_id in usable
    ]


def invite(
    membership: Membership, session: GroupSession, battery: Battery
) -> tuple[Invitation, str]:
    """A new invitation in the caller's transaction, and its token (shown once, never stored)."""
    values, token = invitation_values(membership, session, battery)
    invitation = Invitation(**values)
    db.session.add(invitation)
    return invitation, token


def invitation_values(
    membership: Membership, session: GroupSession, battery: Battery
) -> tuple[dict[str, Any], str]:
    """The columns of a new invitation, and its token (shown once, never stored)."""
    token, hashed = new_token()
    send_at = session.planned_start + timedelta(hours=battery.send_offset_hours)
    values = {
        "membership_id": membership.id,
        "session_id": session.id,
        "battery_id": battery.id,
        "instrument_ids": instruments_for(battery, membership, session),
        "token_hash": hashed,
        "send_at": send_at,
        "expires_at": send_at + timedelta(hours=battery.expires_after_hours),
    }
    return values, token


AWAY = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)
ATTENDANCE_ASKED_ABOUT = sa.and_(  # join: the member's attendance at the invitation's session
    Attendance.session_id == Invitation.session_id,
    Attendance.membership_id == Invitation.membership_id,
)


def still_asked(
    instrument_ids: list[str],
    attendance: AttendanceStatus | None,
    draft: dict[str, dict[str, int]],
) -> list[str]:
    """The instruments still asked of a member: one about the session is not asked of a member
    recorded as away from it, unless they already began answering it (nothing answered is lost)."""
    if attendance not in AWAY:
        return instrument_ids
    definitions = library()
    return [
        i
        for i in instrument_ids
        if i in draft or i not in definitions or not definitions[i].about_the_session
    ]


@dataclass(frozen=True)
class OpenLink:
    """What the member's pages need of an open invitation, read in one narrow query (the pages
    are the most requested part of Kring; the ORM graph of five objects cost more than the page)."""

    id: int
    instrument_ids: list[str]
    draft: dict[str, dict[str, int]]
    draft_version: int
    topic: str | None
    language: str
    referral_id: int | None
    membership_id: int | None
    session_id: int | None
    session_number: int | None
    joined_session: int | None
    group_id: int | None
    group_name: str | None
    ask_topic: bool
    member_feedback: bool


@cache
def _open_link_query() -> sa.Select:
    """A member's link with its group and session in one query. The intake link of a referral
    (rarer) reads its client's language in a second one: PostgreSQL plans this query again on
    every request (psycopg forgets prepared statements at each rollback), and two joins fewer
    halve that planning."""
    member = aliased(Client)
    return (
        sa.select(
            Invitation.id,
            Invitation.instrument_ids,
            Invitation.draft,
            Invitation.draft_version,
            Invitation.topic,
            member.language,
            Invitation.referral_id,
            Invitation.membership_id,
            Invitation.session_id,
            GroupSession.number.label("session_number"),
            Membership.joined_session,
            Group.id.label("group_id"),
            Group.name.label("group_name"),
            Group.ask_topic,
            Group.member_feedback,
            Invitation.completed_at,
            Invitation.expires_at,
            Attendance.status.label("attendance"),
        )
        .outerjoin(Membership, Invitation.membership_id == Membership.id)
        .outerjoin(member, Membership.client_id == member.id)
        .outerjoin(Group, Membership.group_id == Group.id)
        .outerjoin(GroupSession, Invitation.session_id == GroupSession.id)
        .outerjoin(Attendance, ATTENDANCE_ASKED_ABOUT)
        .where(Invitation.token_hash == sa.bindparam("token_hash"))
    )


_REFERRED_LANGUAGE = (
    sa.select(Client.language)
    .join(Referral, Referral.client_id == Client.id)
    .where(Referral.id == sa.bindparam("referral_id"))
)


def open_link(
    token: str, now: datetime | None = None, connection: sa.Connection | None = None
) -> OpenLink:
    """The open invitation behind a token, or LinkUnknownError / LinkGoneError; reveals nothing.

    Read on the given connection, else in the session's transaction (where the caller writes)."""
    connection = connection or db.session.connection()  # Core: no ORM work per statement
    row = connection.execute(_open_link_query(), {"token_hash": token_hash(token)}).one_or_none()
    if row is None:
        raise LinkUnknownError
    fields = row._asdict()
    if fields["language"] is None and row.referral_id is not None:
        fields["language"] = connection.scalar(_REFERRED_LANGUAGE, {"referral_id": row.referral_id})
    language = str(fields["language"])  # a StrEnum: its value
    if row.completed_at is not None:
        raise LinkGoneError("submitted", language)
    if (now or utcnow()) >= row.expires_at:
        raise LinkGoneError("expired", language)
    del fields["completed_at"], fields["expires_at"], fields["attendance"]
    fields["instrument_ids"] = still_asked(row.instrument_ids, row.attendance, row.draft or {})
    if not fields["instrument_ids"]:
        raise LinkGoneError("not_there", language)
    fields["language"] = language
    fields["draft"] = row.draft or {}
    fields["ask_topic"] = bool(row.ask_topic)
    fields["member_feedback"] = bool(row.member_feedback)
    return OpenLink(**fields)

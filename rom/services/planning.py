"""Plan invitations for sessions that come up: one per current member, each with its message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from rom.clock import to_local
from rom.extensions import db
from rom.links import link_to
from rom.messaging.texts import INVITATION, REMINDER, SMS_INVITATION, SMS_REMINDER, compose
from rom.models import (
    Battery,
    Channel,
    Client,
    Group,
    GroupSession,
    Invitation,
    Membership,
    OutboxMessage,
    SessionStatus,
    utcnow,
)
from rom.services.invitations import invitation_values


def plan_invitations(now: datetime | None = None) -> int:
    """Invite every current member of every session starting within the planning horizon.

    Idempotent: a member who already has an invitation for the session gets none again (and the
    database's unique constraints would refuse a second one anyway). The sessions, their members
    and who was invited already are read in three queries, and the invitations and their
    messages are written in batches, so the cost per member is a share of a statement.
    """
    now = now or utcnow()
    horizon = now + timedelta(days=current_app.config["PLANNING_HORIZON_DAYS"])
    coming = (
        sa.select(GroupSession.id)
        .join(Group)
        .where(
            GroupSession.status == SessionStatus.PLANNED,
            GroupSession.planned_start > now,
            GroupSession.planned_start <= horizon,
            Group.battery_id.is_not(None),
        )
    )
    sessions = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.id.in_(coming))
        .options(
            joinedload(GroupSession.group)
            .joinedload(Group.battery)
            .selectinload(Battery.instruments)
        )
        .order_by(GroupSession.planned_start, GroupSession.id)
    ).all()
    invited = {
        (session_id, membership_id)
        for session_id, membership_id in db.session.execute(
            sa.select(Invitation.session_id, Invitation.membership_id).where(
                Invitation.session_id.in_(coming)
            )
        )
    }
    members = _members_by_group({session.group_id for session in sessions})
    planned = [
        invitation
        for session in sessions
        for invitation in _plan_session(session, members.get(session.group_id, []), invited)
    ]
    _store(planned)
    return len(planned)


@dataclass(frozen=True)
class _Planned:
    """A new invitation's columns, with whom and what it is for and its token."""

    values: dict[str, Any]
    membership: Membership
    session: GroupSession
    token: str


def _members_by_group(group_ids: set[int]) -> dict[int, list[Membership]]:
    """Every membership of these groups with its client, in one query."""
    found: dict[int, list[Membership]] = {}
    if not group_ids:
        return found
    memberships = db.session.scalars(
        sa.select(Membership)
        .where(Membership.group_id.in_(group_ids))
        .options(joinedload(Membership.client))
        .order_by(Membership.id)
    )
    for membership in memberships:
        found.setdefault(membership.group_id, []).append(membership)
    return found


def _plan_session(
    session: GroupSession, memberships: list[Membership], invited: set[tuple[int, int]]
) -> list[_Planned]:
    planned = []
    for membership in memberships:
        if not _invited_to(membership, session.number):
            continue
        if (session.id, membership.id) in invited or membership.client.reachable_by is None:
            continue
        values, token = invitation_values(membership, session, session.group.battery)
        if values["instrument_ids"]:
            planned.append(_Planned(values, membership, session, token))
    return planned


def _invited_to(membership: Membership, number: int) -> bool:
    """A member is invited to the sessions from the one they joined at until the one they left
    at (which they no longer attend)."""
    left = membership.left_session
    return membership.joined_session <= number and (left is None or left > number)


def _store(planned: list[_Planned]) -> None:
    """The invitations in batched INSERTs that return their ids, then their messages."""
    if not planned:
        return
    stored = db.session.execute(
        sa.insert(Invitation).returning(
            Invitation.id, Invitation.membership_id, Invitation.session_id
        ),
        [p.values for p in planned],
    )
    ids = {(membership, session): id_ for id_, membership, session in stored}
    messages = [
        message for p in planned for message in _messages(ids[p.membership.id, p.session.id], p)
    ]
    db.session.execute(sa.insert(OutboxMessage), messages)


def _messages(invitation_id: int, planned: _Planned) -> list[dict[str, Any]]:
    """The invitation and its reminder, both queued now: the token exists only in these two
    bodies until they are sent (then it is redacted) or cancelled. Each is keyed by its
    natural key."""
    session, client = planned.session, planned.membership.client
    config = current_app.config
    day = to_local(session.planned_start, config["TIMEZONE"]).strftime("%d-%m-%Y %H:%M")
    values = {
        "group": session.group.name,
        "day": day,
        "link": link_to("clientflow.questionnaire", token=planned.token),
    }
    language = client.language.value
    send_at = planned.values["send_at"]
    remind_at = send_at + timedelta(hours=session.group.battery.reminder_after_hours)
    by_sms = client.reachable_by == "sms"
    first, second = (SMS_INVITATION, SMS_REMINDER) if by_sms else (INVITATION, REMINDER)
    key = f"{planned.membership.id}:{session.id}:{session.group.battery_id}"
    return [
        message_values(
            client, f"invitation:{key}", "invitation", compose(first, language, **values), send_at
        )
        | {"invitation_id": invitation_id},
        message_values(
            client, f"reminder:{key}", "reminder", compose(second, language, **values), remind_at
        )
        | {"invitation_id": invitation_id},
    ]


def client_message(
    invitation: Invitation,
    client: Client,
    key: str,
    purpose: str,
    text: tuple[str, str],
    due: datetime,
) -> OutboxMessage:
    """A message about an invitation to its client (see message_values)."""
    return OutboxMessage(invitation=invitation, **message_values(client, key, purpose, text, due))


def message_values(
    client: Client, key: str, purpose: str, text: tuple[str, str], due: datetime
) -> dict[str, Any]:
    """A message's columns: by e-mail where the client has an address and agreed to e-mail,
    else by SMS."""
    subject, body = text
    by_email = client.reachable_by == "email"
    return {
        "dedupe_key": key,
        "purpose": purpose,
        "channel": Channel.EMAIL if by_email else Channel.SMS,
        "recipient": client.email if by_email else client.phone,
        "subject": subject or "SMS",
        "body": body,
        "next_attempt_at": due,
    }

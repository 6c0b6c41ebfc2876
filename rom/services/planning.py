"""Plan invitations for sessions that come up: one per current member, each with its message."""

from __future__ import annotations

from datetime import datetime, timedelta

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
from rom.services.invitations import invite


def plan_invitations(now: datetime | None = None) -> int:
    """Invite every current member of every session starting within the planning horizon.

    Idempotent: a member who already has an invitation for the session gets none again (and the
    database's unique constraints would refuse a second one anyway). The sessions, their members
    and who was invited already are read in three queries, and the new rows are written in one
    flush, so the cost is a few statements per batch of rows rather than several per member.
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
    with db.session.no_autoflush:
        planned = sum(
            _plan_session(session, members.get(session.group_id, []), invited)
            for session in sessions
        )
    db.session.flush()
    return planned


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
) -> int:
    count = 0
    for membership in memberships:
        if not _invited_to(membership, session.number):
            continue
        if (session.id, membership.id) in invited or membership.client.reachable_by is None:
            continue
        invitation, token = invite(membership, session, session.group.battery)
        if not invitation.instrument_ids:
            db.session.expunge(invitation)
            continue
        db.session.add_all(_messages(invitation, membership, session, token))
        count += 1
    return count


def _invited_to(membership: Membership, number: int) -> bool:
    """A member is invited to the sessions from the one they joined at until the one they left
    at (which they no longer attend)."""
    left = membership.left_session
    return membership.joined_session <= number and (left is None or left > number)


def _messages(
    invitation: Invitation, membership: Membership, session: GroupSession, token: str
) -> list[OutboxMessage]:
    """The invitation and its reminder, both queued now: the token exists only in these two
    bodies until they are sent (then it is redacted) or cancelled."""
    config = current_app.config
    day = to_local(session.planned_start, config["TIMEZONE"]).strftime("%d-%m-%Y %H:%M")
    values = {
        "group": session.group.name,
        "day": day,
        "link": link_to("clientflow.questionnaire", token=token),
    }
    language = membership.client.language.value
    remind_at = invitation.send_at + timedelta(hours=session.group.battery.reminder_after_hours)
    by_sms = membership.client.reachable_by == "sms"
    first, second = (SMS_INVITATION, SMS_REMINDER) if by_sms else (INVITATION, REMINDER)
    return [
        _outbox(
            invitation,
            membership,
            "invitation",
            compose(first, language, **values),
            invitation.send_at,
        ),
        _outbox(invitation, membership, "reminder", compose(second, language, **values), remind_at),
    ]


def _outbox(
    invitation: Invitation,
    membership: Membership,
    purpose: str,
    text: tuple[str, str],
    due: datetime,
) -> OutboxMessage:
    """Keyed by its natural key, so no flush is needed to learn the invitation's id."""
    key = f"{purpose}:{invitation.membership_id}:{invitation.session_id}:{invitation.battery_id}"
    return client_message(invitation, membership.client, key, purpose, text, due)


def client_message(
    invitation: Invitation,
    client: Client,
    key: str,
    purpose: str,
    text: tuple[str, str],
    due: datetime,
) -> OutboxMessage:
    """A message about an invitation to its client: by e-mail where they have an address and
    agreed to e-mail, else by SMS."""
    subject, body = text
    by_email = client.reachable_by == "email"
    return OutboxMessage(
        dedupe_key=key,
        purpose=purpose,
        invitation=invitation,
        channel=Channel.EMAIL if by_email else Channel.SMS,
        recipient=client.email if by_email else client.phone,
        subject=subject or "SMS",
        body=body,
        next_attempt_at=due,
    )

"""Builders for test data: keyword defaults, flushed into the session, never committed inside."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rom.extensions import db
from rom.models import (
    Client,
    Flag,
    FlagKind,
    Group,
    GroupSession,
    Invitation,
    Membership,
    Role,
    Severity,
    StaffUser,
)
from rom.services.accounts import new_staff_user
from rom.services.batteries import default_battery
from rom.services.invitations import invite


def make_therapist(email: str = "anna@kring.test", name: str = "Anna") -> StaffUser:
    user = new_staff_user(email, name, Role.THERAPIST, "correct horse battery")
    db.session.add(user)
    db.session.flush()
    return user


def make_group(code: str = "GA", therapists: tuple[StaffUser, ...] = (), **fields: object) -> Group:
    values = {
        "name": "Vaardigheden A",
        "kind": "skills",
        "format": "closed",
        "planned_sessions": 12,
        "start_date": date(2026, 3, 2),
        "weekday": 0,
        "start_time": time(10, 0),
        "member_feedback": True,
    } | fields
    group = Group(code=code, **values)
    group.therapists = list(therapists)
    group.battery = default_battery(group.kind)
    db.session.add(group)
    db.session.flush()
    return group


def make_member(
    group: Group, code: str = "M1", language: str = "nl", joined: int = 1
) -> Membership:
    client = Client(
        code=code, first_name="Sanne", email=f"{code.lower()}@example.org", language=language
    )
    membership = Membership(client=client, group=group, joined_session=joined)
    db.session.add(membership)
    db.session.flush()
    return membership


def make_session(group: Group, number: int = 1, start: datetime | None = None) -> GroupSession:
    start = start or datetime(2026, 3, 2, 9, 0) + timedelta(weeks=number - 1)
    session = GroupSession(group=group, number=number, planned_start=start)
    db.session.add(session)
    db.session.flush()
    return session


def make_invitation(
    membership: Membership, session: GroupSession, expires_at: datetime | None = None
) -> tuple[Invitation, str]:
    invitation, token = invite(membership, session, membership.group.battery)
    invitation.expires_at = expires_at or datetime(2099, 1, 1)
    db.session.flush()
    return invitation, token


def make_critical_flag(membership: Membership, session: int = 2) -> Flag:
    """An open critical-answer flag on the membership, raised at that session."""
    flag = Flag(
        group_id=membership.group_id,
        membership_id=membership.id,
        kind=FlagKind.CRITICAL_ITEM,
        severity=Severity.CRITICAL,
        reasons=[{"code": "critical_answer"}],
        suggested_action="contact_today",
        raised_session=session,
        last_session=session,
    )
    db.session.add(flag)
    db.session.flush()
    return flag


def make_dropout_flag(
    membership: Membership, session: int = 1, reasons: list[dict] | None = None
) -> Flag:
    """An open dropout-risk flag (high) on the membership, raised at that session."""
    flag = Flag(
        group_id=membership.group_id,
        membership_id=membership.id,
        kind=FlagKind.DROPOUT_RISK,
        severity=Severity.HIGH,
        suggested_action="contact",
        raised_session=session,
        last_session=session,
    )
    if reasons is not None:
        flag.reasons = reasons
    db.session.add(flag)
    db.session.flush()
    return flag

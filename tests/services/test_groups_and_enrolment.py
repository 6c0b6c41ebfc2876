"""Groups are created with their sessions, edited without losing history, and sessions
cancelled with their waiting messages; members join closed groups at the start only and leave
with a reason, and what was waiting for them is cancelled."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.models import (
    Client,
    GroupFormat,
    GroupKind,
    GroupSession,
    Language,
    LeaveReason,
    Membership,
    OutboxMessage,
    OutboxStatus,
    SessionStatus,
)
from rom.services.attendance import record_attendance
from rom.services.enrolment import EnrolmentError, NewMember, end_membership, enrol, enrol_known
from rom.services.groups import (
    GroupError,
    GroupSettings,
    add_session,
    cancel_session,
    create_group,
    edit_group,
)
from rom.services.planning import plan_invitations
from tests.factories import make_therapist

START = date(2026, 3, 2)


def settings(therapists: tuple[int, ...], **changes: object) -> GroupSettings:
    values = {
        "code": "GN",
        "name": "Nieuwe groep",
        "kind": GroupKind.SKILLS,
        "format": GroupFormat.CLOSED,
        "planned_sessions": 12,
        "intended_size": 8,
        "start_date": START,
        "start_time": time(10, 0),
        "therapist_ids": therapists,
    } | changes
    return GroupSettings(**values)


def sessions_of(group) -> list[GroupSession]:
    return db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.group_id == group.id)
        .order_by(GroupSession.number)
    ).all()


def person(code: str = "C1", **changes: object) -> NewMember:
    values = {
        "code": code,
        "first_name": "Sanne",
        "email": f"{code}@example.org",
        "phone": None,
        "language": Language.NL,
    } | changes
    return NewMember(**values)


def test_a_new_group_has_its_weekly_sessions_at_local_time(app: Flask) -> None:
    anna = make_therapist()
    group = create_group(settings((anna.id,)))
    db.session.commit()
    planned = sessions_of(group)
    assert [s.number for s in planned] == list(range(1, 13))
    assert planned[0].planned_start == datetime(2026, 3, 2, 9, 0)  # 10:00 in Amsterdam (CET)
    assert planned[5].planned_start == datetime(2026, 4, 6, 8, 0)  # 10:00 in summer time (CEST)
    assert group.battery is not None
    assert group.therapists == [anna]


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"therapist_ids": ()}, "behandelaars"), ({"code": "GX"}, "al een groep")],
)
def test_bad_group_settings_change_nothing(app: Flask, changes: dict, message: str) -> None:
    anna = make_therapist()
    create_group(settings((anna.id,), code="GX"))
    db.session.commit()
    with pytest.raises(GroupError, match=message):
        create_group(settings((anna.id,), **changes))
    db.session.rollback()
    assert len(db.session.scalars(sa.select(GroupSession)).all()) == 12


def test_fewer_sessions_never_removes_a_held_or_invited_one(app: Flask) -> None:
    anna = make_therapist()
    group = create_group(settings((anna.id,), planned_sessions=4))
    member = enrol(group, person())
    db.session.commit()
    plan_invitations(datetime(2026, 3, 7))  # invites session 2 (Monday 9 March)
    with pytest.raises(GroupError, match="Sessie 2"):
        edit_group(group, settings((anna.id,), planned_sessions=1))
    db.session.rollback()
    edit_group(group, settings((anna.id,), planned_sessions=2, name="Hernoemd"))
    db.session.commit()
    assert [s.number for s in sessions_of(group)] == [1, 2]
    assert group.name == "Hernoemd"
    edit_group(group, settings((anna.id,), planned_sessions=3))
    db.session.commit()
    assert sessions_of(group)[-1].planned_start == datetime(2026, 3, 16, 9, 0)
    assert member.group_id == group.id


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"therapist_ids": (), "planned_sessions": 6}, "behandelaars"),
        ({"minimum_size": 9, "planned_sessions": 6}, "minimum"),
        ({"planned_sessions": 1}, "Sessie"),
    ],
)
def test_a_refused_group_edit_has_changed_nothing_when_it_is_refused(
    app: Flask, changes: dict, message: str
) -> None:
    """The service refuses before it changes anything: the group and its sessions are as they
    were even before the edge rolls back."""
    anna = make_therapist()
    group = create_group(settings((anna.id,), planned_sessions=4))
    enrol(group, person())
    db.session.commit()
    plan_invitations(datetime(2026, 3, 14))  # invites session 3 (Monday 16 March)
    with pytest.raises(GroupError, match=message):
        edit_group(group, settings((anna.id,), name="Hernoemd", **changes))
    assert group.name == "Nieuwe groep"
    assert [s.number for s in sessions_of(group)] == [1, 2, 3, 4]


def test_a_cancelled_session_takes_its_waiting_messages_with_it(app: Flask) -> None:
    anna = make_therapist()
    group = create_group(settings((anna.id,)))
    enrol(group, person())
    db.session.commit()
    plan_invitations(datetime(2026, 3, 7))
    session = sessions_of(group)[1]
    assert cancel_session(session) == 2  # the invitation and its reminder
    db.session.commit()
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {m.status for m in messages} == {OutboxStatus.CANCELLED}
    assert all("/q/[cancelled]" in m.body for m in messages)
    assert session.status == SessionStatus.CANCELLED
    with pytest.raises(GroupError):
        cancel_session(session)
    extra = add_session(group, date(2026, 6, 1), time(10, 0))
    assert (extra.number, group.planned_sessions) == (13, 13)


def test_closed_groups_take_members_at_the_start_only(app: Flask) -> None:
    anna = make_therapist()
    closed = create_group(settings((anna.id,)))
    slow_open = create_group(settings((anna.id,), code="GO", format=GroupFormat.SLOW_OPEN))
    first = enrol(closed, person("C1"))
    enrol(slow_open, person("C2"))
    for group in (closed, slow_open):
        record_attendance(sessions_of(group)[0], {})
    db.session.commit()
    with pytest.raises(EnrolmentError, match="gesloten"):
        enrol(closed, person("C3"))
    late = enrol(slow_open, person("C3"))
    assert (first.joined_session, late.joined_session) == (1, 2)
    with pytest.raises(EnrolmentError, match="al in gebruik"):
        enrol(slow_open, person("C3"))
    with pytest.raises(EnrolmentError, match="al lid"):
        enrol_known(slow_open, late.client)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 3
    with pytest.raises(EnrolmentError, match="e-mailadres of mobiel"):
        enrol(slow_open, person("C4", email=None))


def test_ending_a_membership_cancels_later_invitations(app: Flask) -> None:
    anna = make_therapist()
    group = create_group(settings((anna.id,)))
    membership = enrol(group, person())
    db.session.commit()
    plan_invitations(datetime(2026, 3, 7))
    assert end_membership(membership, LeaveReason.DROPPED_OUT, 1, date(2026, 3, 3)) == 2
    db.session.commit()
    stored = db.session.get(Membership, membership.id)
    assert (stored.left_session, stored.leave_reason) == (1, LeaveReason.DROPPED_OUT)
    with pytest.raises(EnrolmentError, match="al beëindigd"):
        end_membership(stored, LeaveReason.COMPLETED, 2)
    assert plan_invitations(datetime(2026, 3, 14)) == 0  # no more invitations for them

"""Therapists run their groups in the staff application: a new group with its sessions, members
enrolled and ended, sessions cancelled, attendance taken; every refusal names the problem and
changes nothing; every change and every view of a member is audited."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import (
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Group,
    GroupSession,
    LeaveReason,
    Membership,
    Response,
    ResponseSource,
    Score,
    SessionStatus,
    utcnow,
)
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in
from tests.web.staff_forms import group_form
from tests.web.staff_language import switch


@pytest.fixture
def team(app: Flask):
    people = cast()
    group = make_group("GA", therapists=(people.anna,), name="Groep A", format="slow_open")
    for code in ("MA1", "MA2", "MA3"):
        make_member(group, code)
    make_session(group, 1)
    make_session(group, 2)
    db.session.commit()
    return people


def group_a() -> Group:
    return db.session.scalar(sa.select(Group).where(Group.code == "GA"))


def audit(action: str, subject: str) -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == action, AuditEvent.subject_type == subject)
    ).all()


def test_a_group_has_a_language_and_a_minimum_no_larger_than_its_size(
    client: FlaskClient, team
) -> None:
    log_in(client, "anna@kring.test")
    refused = client.post("/staff/groups/new", data=group_form(client, minimum_size="9"))
    assert refused.status_code == 422
    assert "Het minimum is groter dan de beoogde grootte" in refused.get_data(as_text=True)
    assert db.session.scalar(sa.select(Group).where(Group.code == "GN")) is None
    made = client.post(
        "/staff/groups/new", data=group_form(client, language="en", minimum_size="5")
    )
    assert made.status_code == 302
    group = db.session.scalar(sa.select(Group).where(Group.code == "GN"))
    assert (group.language.value, group.minimum_size) == ("en", 5)


def test_a_therapist_creates_a_group_with_its_sessions(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    response = client.post("/staff/groups/new", data=group_form(client))
    assert response.status_code == 302
    group = db.session.scalar(sa.select(Group).where(Group.code == "GN"))
    sessions = db.session.scalars(
        sa.select(GroupSession).where(GroupSession.group_id == group.id)
    ).all()
    assert len(sessions) == 16
    assert group.battery.name.startswith("Standaard")  # the psychotherapy default
    page = client.get(f"/staff/groups/{group.id}/sessions").get_data(as_text=True)
    assert "ma 11-01-2027 14:30" in page  # local wall-clock time
    switch(client, "en")
    english = client.get(f"/staff/groups/{group.id}/sessions").get_data(as_text=True)
    assert "Mon 11-01-2027 14:30" in english
    assert "ma 11-01" not in english
    assert [e.subject_id for e in audit("create", "group")] == [str(group.id)]


def test_the_group_chooses_member_feedback_and_the_topic_question(
    client: FlaskClient, team
) -> None:
    log_in(client, "anna@kring.test")
    client.post("/staff/groups/new", data=group_form(client, ask_topic="y"))
    group = db.session.scalar(sa.select(Group).where(Group.code == "GN"))
    assert (group.ask_topic, group.member_feedback) == (True, False)
    edit = group_form(client, member_feedback="y") | {
        "csrf_token": csrf(client, f"/staff/groups/{group.id}/edit")
    }
    assert client.post(f"/staff/groups/{group.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert (group.ask_topic, group.member_feedback) == (False, True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"planned_sessions": "0"}, "Kies 1 tot en met 60"),
        ({"therapists": ""}, "Kies een of meer behandelaars"),
        ({"start_time": "late"}, "Ongeldige waarde voor tijd"),  # WTForms, in Dutch
        ({"code": "GA"}, "al een groep met deze code"),
    ],
)
def test_a_bad_group_form_is_named_and_creates_nothing(
    client: FlaskClient, team, changes: dict, message: str
) -> None:
    log_in(client, "anna@kring.test")
    response = client.post("/staff/groups/new", data=group_form(client, **changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 1
    assert audit("create", "group") == []


def test_attendance_for_the_whole_session_in_one_post(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == 1))
    members = db.session.scalars(sa.select(Membership).order_by(Membership.id)).all()
    path = f"/staff/sessions/{session.id}/attendance"
    page = client.get(path).get_data(as_text=True)
    assert page.count('type="radio"') == 9  # three members, three choices each
    data = {"csrf_token": csrf(client, path)} | {
        f"status-{m.id}": status
        for m, status in zip(members, ("present", "absent", "excused"), strict=True)
    }
    assert client.post(path, data=data).status_code == 302
    stored = dict(db.session.execute(sa.select(Attendance.membership_id, Attendance.status)).all())
    assert list(stored.values()) == [
        AttendanceStatus.PRESENT,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    ]
    db.session.expire_all()
    assert session.status == SessionStatus.HELD
    assert len(audit("change", "attendance")) == 1


def test_attendance_with_a_member_left_out_saves_nothing(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == 1))
    first = db.session.scalar(sa.select(Membership).order_by(Membership.id))
    path = f"/staff/sessions/{session.id}/attendance"
    response = client.post(
        path, data={"csrf_token": csrf(client, path), f"status-{first.id}": "present"}
    )
    assert response.status_code == 422
    assert "Kies voor iedereen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_a_member_joins_a_running_slow_open_group_and_leaves_with_a_reason(
    client: FlaskClient, team
) -> None:
    log_in(client, "anna@kring.test")
    group = group_a()
    session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == 1))
    session.status = SessionStatus.HELD
    db.session.commit()
    path = f"/staff/groups/{group.id}/members/new"
    form = {
        "csrf_token": csrf(client, path),
        "code": "MA4",
        "first_name": "Noor",
        "email": "",
        "phone": "0612345678",
        "language": "en",
    }
    assert client.post(path, data=form).status_code == 302
    joined = db.session.scalar(
        sa.select(Membership).join(Membership.client).where(sa.text("clients.code = 'MA4'"))
    )
    assert joined.joined_session == 2
    assert client.post(path, data=form | {"code": "MA5", "phone": ""}).status_code == 422
    end = f"/staff/members/{joined.id}/end"
    response = client.post(
        end, data={"csrf_token": csrf(client, end), "reason": "stepped_up", "last_session": "2"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (joined.left_session, joined.leave_reason) == (2, LeaveReason.STEPPED_UP)
    page = client.get(f"/staff/members/{joined.id}").get_data(as_text=True)
    assert "tot sessie 2 (Opgeschaald)" in page  # the reason in words, not 'stepped up'
    roster = client.get(f"/staff/groups/{joined.group_id}").get_data(as_text=True)
    assert "sessie 2 (Opgeschaald)" in roster


def test_cancelling_a_session_from_the_session_list(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    group = group_a()
    session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == 2))
    path = f"/staff/groups/{group.id}/sessions"
    response = client.post(
        f"/staff/sessions/{session.id}/cancel", data={"csrf_token": csrf(client, path)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert session.status == SessionStatus.CANCELLED
    assert "vervallen" in client.get(path).get_data(as_text=True)


def test_a_members_scores_are_headed_by_the_scales_names_in_the_readers_language(
    client: FlaskClient, team
) -> None:
    membership = db.session.scalar(sa.select(Membership).order_by(Membership.id))
    session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == 2))
    for instrument, scale, value in (("phq9", "total", 12.0), ("gcq_s", "engagement", 3.5)):
        db.session.add(
            Response(
                membership_id=membership.id,
                session_id=session.id,
                instrument_id=instrument,
                instrument_version="1",
                completed_at=utcnow(),
                source=ResponseSource.PHONE,
                scores=[Score(scale=scale, raw=value, value=value, items_missing=0)],
            )
        )
    db.session.commit()
    log_in(client, "anna@kring.test")
    page = client.get(f"/staff/members/{membership.id}").get_data(as_text=True)
    assert '<th scope="col">Totaalscore somberheid</th>' in page
    assert '<th scope="col">Betrokkenheid</th>' in page
    assert "<td>3,5</td>" in page
    assert "<td>12</td>" in page
    assert ">total<" not in page
    assert ">engagement<" not in page


def test_viewing_a_member_is_audited_with_who_what_when_and_where(
    client: FlaskClient, team
) -> None:
    log_in(client, "anna@kring.test")
    membership = db.session.scalar(sa.select(Membership).order_by(Membership.id))
    page = client.get(f"/staff/members/{membership.id}").get_data(as_text=True)
    assert re.search(r"Sanne \(MA1\)", page)
    [event] = audit("view", "member")
    assert event.subject_id == str(membership.id)
    assert event.actor_id == team.anna.id
    assert event.address == "127.0.0.1"
    assert event.at is not None

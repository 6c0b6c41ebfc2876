"""The JSON API: token rules (each refusal with its status, nothing changed), problem details,
idempotent writes, audit rows for accepted calls, and an agenda-style integration that plans
sessions, registers attendance, reads flags and fetches FHIR responses that validate."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from fhirclient.models.bundle import Bundle
from fhirclient.models.questionnaire import Questionnaire
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.instruments import library
from rom.models import Attendance, AuditEvent, Group, GroupSession, utcnow
from rom.services.api_tokens import create_token, revoke
from rom.services.invitations import open_link
from rom.services.submissions import submit
from tests.api_tokens import ALL, bearer
from tests.factories import make_group, make_invitation, make_member, make_session, make_therapist
from tests.member_answers import save_page


@pytest.fixture
def groups(app: Flask) -> dict[str, Group]:
    anna = make_therapist()
    a = make_group("GA", therapists=(anna,), name="Groep A")
    b = make_group("GB", therapists=(anna,), name="Groep B")
    for code in ("MA1", "MA2"):
        make_member(a, code)
    make_session(a, 1)
    db.session.commit()
    return {"a": a, "b": b}


def attendance_path(group: Group) -> str:
    session = db.session.scalar(
        sa.select(GroupSession).where(GroupSession.group_id == group.id, GroupSession.number == 1)
    )
    return f"/api/v1/sessions/{session.id}/attendance"


BODY = {
    "attendance": [{"member": "MA1", "status": "present"}, {"member": "MA2", "status": "absent"}]
}


def attendance_rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Attendance))


def test_each_bad_token_is_refused_and_changes_nothing(client: FlaskClient, groups) -> None:
    path = attendance_path(groups["a"])
    expired = create_token("old", ALL, utcnow() - timedelta(days=1)).secret
    revoked = create_token("gone", ALL, utcnow() + timedelta(days=1))
    revoke(revoked.token)
    db.session.commit()
    cases = [
        ({}, 401),
        ({"Authorization": "Bearer kring_wrong"}, 401),
        ({"Authorization": f"Bearer {expired}"}, 401),
        ({"Authorization": f"Bearer {revoked.secret}"}, 401),
        (bearer(scopes=["groups:read"]), 403),
        (bearer(group_ids=[groups["b"].id]), 404),  # a group this integration does not serve
    ]
    for headers, status in cases:
        response = client.put(path, json=BODY, headers=headers)
        assert response.status_code == status, headers
        assert response.content_type == "application/problem+json"
        assert response.get_json()["status"] == status
    assert attendance_rows() == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.subject_type == "api")
        )
        == 0
    )


def test_a_bad_payload_gets_problem_details_naming_the_field(client: FlaskClient, groups) -> None:
    headers = bearer()
    path = attendance_path(groups["a"])
    wrong = {"attendance": [{"member": "MA1", "status": "maybe"}]}
    response = client.put(path, json=wrong, headers=headers)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["title"] == "Unprocessable Entity"
    assert "status" in str(problem["errors"])
    stranger = {"attendance": [{"member": "NOPE", "status": "present"}]}
    assert client.put(path, json=stranger, headers=headers).status_code == 409  # not in the group
    assert attendance_rows() == 0


def test_a_retried_write_returns_the_first_answer_and_changes_nothing(
    client: FlaskClient, groups
) -> None:
    headers = bearer() | {"Idempotency-Key": "agenda-42"}
    path = attendance_path(groups["a"])
    first = client.put(path, json=BODY, headers=headers)
    assert first.status_code == 200
    changed = {"attendance": [{"member": "MA1", "status": "excused"}]}
    again = client.put(path, json=changed, headers=headers)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    statuses = sorted(s.value for s in db.session.scalars(sa.select(Attendance.status)))
    assert statuses == ["absent", "present"]  # the retry changed nothing
    elsewhere = client.post(
        f"/api/v1/sessions/{first.get_json()['session']}/cancel", headers=headers
    )
    assert elsewhere.status_code == 422  # the key belongs to another call
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.subject_type == "api"))
    assert [e.action for e in events] == ["put", "put"]


def test_lists_are_paginated_with_a_stable_cursor(client: FlaskClient, groups) -> None:
    headers = bearer()
    first = client.get("/api/v1/groups?limit=1", headers=headers).get_json()
    assert [g["code"] for g in first["items"]] == ["GA"]
    second = client.get(f"/api/v1/groups?limit=1&after={first['next']}", headers=headers)
    assert [g["code"] for g in second.get_json()["items"]] == ["GB"]
    assert second.get_json()["next"] is None


def test_the_openapi_document_and_reference_are_served(client: FlaskClient, groups) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/sessions/{session_id}/attendance" in spec["paths"]
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "PUT /api/v1/sessions/{session_id}/attendance" in page
    assert "http" not in page.split("<body>")[1].replace("http-equiv", "")  # nothing external
    served = client.get("/api/v1/instruments/phq9", headers=bearer())
    assert served.content_type == "application/fhir+json; fhirVersion=4.0"
    Questionnaire(served.get_json())  # FHIR R4 (4.0.1)


def test_an_agenda_plans_twelve_sessions_registers_attendance_and_reads_results(
    client: FlaskClient, groups
) -> None:
    group = groups["a"]
    headers = bearer()
    first = date(2026, 3, 9)  # session 1 is on 2 March
    for week in range(11):
        day = first + timedelta(weeks=week)
        planned = client.post(
            f"/api/v1/groups/{group.id}/sessions",
            json={"date": day.isoformat(), "time": "10:00:00"},
            headers=headers | {"Idempotency-Key": f"plan-{week}"},
        )
        assert planned.status_code == 201, planned.get_json()
    sessions = client.get(f"/api/v1/groups/{group.id}/sessions", headers=headers).get_json()
    assert [s["number"] for s in sessions] == list(range(1, 13))
    for session in sessions:
        start = datetime.fromisoformat(session["start"]).replace(tzinfo=None)
        with time_machine.travel(start + timedelta(hours=2), tick=False):
            answer = client.put(
                f"/api/v1/sessions/{session['id']}/attendance", json=BODY, headers=headers
            )
            assert answer.status_code == 200
    assert attendance_rows() == 24
    membership = group_member("MA1")
    _, token = make_invitation(membership, db.session.get(GroupSession, sessions[0]["id"]))
    link = save_page(
        open_link(token),
        library()["phq9"],
        {f"item-{n}": "2" for n in range(1, 10)} | {"item-9": "0"},
    )
    link = save_page(link, library()["gad7"], {f"item-{n}": "1" for n in range(1, 8)})
    submit(link, library())
    db.session.commit()
    flags = client.get("/api/v1/flags", headers=headers)
    assert flags.status_code == 200
    scores = client.get("/api/v1/members/MA1/scores", headers=headers).get_json()
    assert {(s["instrument"], s["value"]) for s in scores["scores"] if s["scale"] == "total"} == {
        ("phq9", 16.0),
        ("gad7", 7.0),
    }
    bundle = client.get("/api/v1/members/MA1/responses", headers=headers).get_json()
    parsed = Bundle(bundle)  # FHIR R4 (4.0.1)
    kinds = sorted(e.resource.resource_type for e in parsed.entry)
    assert kinds == ["Observation"] * 2 + ["QuestionnaireResponse"] * 2  # a total score each
    assert client.get("/api/v1/members/NOBODY/responses", headers=headers).status_code == 404


def group_member(code: str):
    from rom.models import Client, Membership

    return db.session.scalar(sa.select(Membership).join(Client).where(Client.code == code))


def test_calls_are_rate_limited_per_token(app: Flask, client: FlaskClient, groups) -> None:
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        headers, other = bearer(), bearer()
        codes = [client.get("/api/v1/flags", headers=headers).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        assert client.get("/api/v1/flags", headers=other).status_code == 200  # its own budget
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"


def test_an_integration_enrols_and_ends_memberships(client: FlaskClient, groups) -> None:
    headers = bearer(scopes=["memberships:write"])
    path = f"/api/v1/groups/{groups['a'].id}/memberships"
    made = client.post(
        path,
        json={"code": "MA3", "first_name": "Noor", "email": "ma3@example.org"},
        headers=headers,
    )
    assert made.status_code == 201
    assert made.get_json()["joined_session"] == 1
    taken = client.post(
        path, json={"code": "MA3", "first_name": "Noor", "email": "x@example.org"}, headers=headers
    )
    assert taken.status_code == 409
    assert "al in gebruik" in taken.get_json()["detail"]
    again = client.post(path, json={"code": "MA3", "known_client": True}, headers=headers)
    assert again.status_code == 409
    assert "al lid" in again.get_json()["detail"]
    ended = client.post(
        f"{path}/MA3/end", json={"reason": "moved", "last_session": 1}, headers=headers
    )
    assert ended.get_json()["leave_reason"] == "moved"
    assert (
        client.post(
            f"{path}/MA3/end", json={"reason": "moved", "last_session": 1}, headers=headers
        ).status_code
        == 404
    )  # no current membership any more


def test_reads_carry_an_etag_and_answer_304_when_unchanged(client: FlaskClient, groups) -> None:
    headers = bearer()
    first = client.get("/api/v1/groups", headers=headers)
    assert first.headers["ETag"]
    again = client.get("/api/v1/groups", headers=headers | {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_the_flags_list_pages_with_a_cursor(client: FlaskClient, groups) -> None:
    from rom.models import Flag, FlagKind, Severity

    for number in range(3):
        db.session.add(
            Flag(
                group_id=groups["a"].id,
                kind=FlagKind.LOW_RESPONSE,
                severity=Severity.MEDIUM,
                suggested_action="discuss_in_group",
                raised_session=number + 1,
                last_session=number + 1,
            )
        )
    db.session.commit()
    headers = bearer()
    seen, after = [], 0
    while after is not None:
        page = client.get(f"/api/v1/flags?limit=2&after={after}", headers=headers).get_json()
        seen += [f["raised_session"] for f in page["items"]]
        after = page["next"]
    assert seen == [1, 2, 3]


def test_a_planned_session_moves_until_it_has_invitations(client: FlaskClient, groups) -> None:
    headers = bearer()
    group = groups["a"]
    later = client.post(
        f"/api/v1/groups/{group.id}/sessions",
        json={"date": "2026-03-09", "time": "10:00:00"},
        headers=headers,
    ).get_json()
    moved = client.patch(
        f"/api/v1/sessions/{later['id']}",
        json={"date": "2026-03-10", "time": "13:00:00"},
        headers=headers,
    )
    assert moved.status_code == 200
    assert moved.get_json()["start"].startswith("2026-03-10T12:00:00")  # 13:00 in Amsterdam
    before_first = client.patch(
        f"/api/v1/sessions/{later['id']}",
        json={"date": "2026-02-01", "time": "10:00:00"},
        headers=headers,
    )
    assert before_first.status_code == 409
    membership = group_member("MA1")
    make_invitation(membership, db.session.get(GroupSession, later["id"]))
    db.session.commit()
    invited = client.patch(
        f"/api/v1/sessions/{later['id']}",
        json={"date": "2026-03-11", "time": "10:00:00"},
        headers=headers,
    )
    assert invited.status_code == 409
    assert "uitnodigingen" in invited.get_json()["detail"]


def test_a_date_out_of_range_is_refused(client: FlaskClient, groups) -> None:
    response = client.post(
        f"/api/v1/groups/{groups['a'].id}/sessions",
        json={"date": "0001-01-01", "time": "00:00:00Z"},
        headers=bearer(),
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupSession)) == 1

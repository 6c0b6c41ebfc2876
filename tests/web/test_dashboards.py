"""The dashboards behind the staff login: pages and Dash's own endpoints refuse anyone without
the role, and a callback forged with another group's id gets nothing of that group."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AttendanceStatus, AuditEvent
from rom.services.attendance import record_attendance
from tests.contrast import contrast
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import log_in
from tests.web.dash_callbacks import csrf_header, group_callback_body, post_callback
from tests.web.staff_language import switch


@pytest.fixture
def groups(app: Flask):
    """Group A (Anna's) with two members and a held session; group B is Carla's."""
    team = cast()
    group_a = make_group("GA", therapists=(team.anna,), name="Groep A")
    make_group("GB", therapists=(team.carla,), name="Groep B")
    members = [make_member(group_a, "SECRET-A1"), make_member(group_a, "SECRET-A2")]
    session = make_session(group_a, 1)
    record_attendance(session, {m.id: AttendanceStatus.PRESENT for m in members})
    db.session.commit()
    return group_a


def test_anonymous_visitors_are_sent_to_login_and_get_no_dash_data(
    client: FlaskClient, groups
) -> None:
    for path in ("/dash/group/", "/dash/caseload/", "/dash/management/"):
        page = client.get(path)
        assert page.status_code == 302
        assert "/staff/login" in page.headers["Location"]
        assert client.get(f"{path}_dash-layout").status_code == 401
        forged = client.post(f"{path}_dash-update-component", json={})
        assert forged.status_code == 400  # no CSRF token: refused before anything else runs


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anna@kring.test", "/dash/group/", 200),
        ("anna@kring.test", "/dash/caseload/", 200),
        ("anna@kring.test", "/dash/management/", 403),
        ("mila@kring.test", "/dash/group/", 403),  # managers: aggregates, not members
        ("mila@kring.test", "/dash/caseload/", 403),
        ("mila@kring.test", "/dash/management/", 200),
        ("ad@kring.test", "/dash/management/", 200),
        ("ad@kring.test", "/dash/group/", 403),
    ],
)
def test_each_dashboard_opens_for_its_roles_only(
    client: FlaskClient, groups, who: str, path: str, status: int
) -> None:
    log_in(client, who)
    assert client.get(path).status_code == status
    assert client.get(f"{path}_dash-layout").status_code == status


def test_the_group_callback_shows_the_own_group_and_is_audited(client: FlaskClient, groups) -> None:
    log_in(client, "anna@kring.test")
    headers = csrf_header(client, "/dash/group/")
    response = post_callback(client, group_callback_body(client, groups.id), headers)
    assert response.status_code == 200
    assert "SECRET-A1" in response.get_data(as_text=True)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "group_dashboard")
    )
    assert event is not None
    assert event.subject_id == str(groups.id)


def test_the_group_figures_write_numbers_as_the_users_language_does(
    app: Flask, client: FlaskClient, groups
) -> None:
    """Hover values such as 87,5%: a decimal comma in Dutch, a point in English."""
    log_in(client, "anna@kring.test")
    headers = csrf_header(client, "/dash/group/")
    reply = post_callback(client, group_callback_body(client, groups.id), headers).get_json()
    assert reply["response"]["group-rates"]["figure"]["layout"]["separators"] == ",."
    assert switch(client, "en").status_code == 302
    with app.app_context():
        headers = csrf_header(client, "/dash/group/")
        reply = post_callback(client, group_callback_body(client, groups.id), headers).get_json()
    assert reply["response"]["group-rates"]["figure"]["layout"]["separators"] == ".,"


def test_a_forged_callback_for_another_group_gets_nothing(client: FlaskClient, groups) -> None:
    log_in(client, "carla@kring.test")
    headers = csrf_header(client, "/dash/group/")
    response = post_callback(client, group_callback_body(client, groups.id), headers)
    assert response.status_code == 404
    assert "SECRET" not in response.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.subject_type == "group_dashboard")
        )
        == 0
    )


def test_a_callback_without_the_csrf_token_is_refused(client: FlaskClient, groups) -> None:
    log_in(client, "anna@kring.test")
    client.get("/dash/group/")
    response = post_callback(client, group_callback_body(client, groups.id), {})
    assert response.status_code == 400
    assert "SECRET" not in response.get_data(as_text=True)


def test_the_group_choice_offers_only_the_users_groups(client: FlaskClient, groups) -> None:
    log_in(client, "carla@kring.test")
    headers = csrf_header(client, "/dash/group/")
    body = group_callback_body(client, "")
    body["inputs"][0]["value"] = ""
    reply = post_callback(client, body, headers).get_json()["response"]
    shown = json.dumps(reply["group-choice"]["children"])
    assert "Groep B" in shown
    assert "Groep A" not in shown
    assert reply["group-heading"]["children"] == "Groep B"


def test_the_group_callback_speaks_the_users_language(
    app: Flask, client: FlaskClient, groups
) -> None:
    """Callbacks are requests of their own: gettext answers in the user's language there too."""
    log_in(client, "anna@kring.test")
    assert switch(client, "en").status_code == 302
    with app.app_context():
        headers = csrf_header(client, "/dash/group/")
        reply = post_callback(client, group_callback_body(client, groups.id), headers)
    shown = json.dumps(reply.get_json()["response"], ensure_ascii=False)
    assert "Symptoms per member (PHQ-9) against the expected course" in shown
    assert "Open flags" in shown or "No open flags." in shown
    assert "Klachten per lid" not in shown
    assert "Groepssessie" not in shown


def test_the_members_off_course_come_first_and_are_marked() -> None:
    import pandas as pd

    from dashboards.group.figures import courses

    panel = pd.DataFrame(
        {
            "member_id": ["M1", "M1", "M2", "M2", "M3", "M3"],
            "session_no": [1, 2, 1, 2, 1, 2],
            "phq9": [15.0, 12.0, 14.0, 18.0, 12.0, 6.0],
        }
    )
    expected = pd.DataFrame(
        {
            "member_id": ["M1", "M2", "M3"],
            "session_no": [2, 2, 2],
            "p25": [9.0, 9.0, 7.0],
            "p75": [13.0, 12.0, 11.0],
        }
    )
    flags = pd.DataFrame({"member_id": ["M2", "M3"], "kind": ["not_on_track", "recovered"]})
    found = courses(panel, expected, flags)
    assert [c.member_id for c in found] == ["M2", "M1", "M3"]
    assert [c.off_course for c in found] == [True, False, False]
    assert [c.position for c in found] == ["above", "within", "below"]


def test_the_overview_numbers_are_dark_on_light_cells() -> None:
    """Every score printed on the heatmap stays above 4.5:1 against its cell's colour."""
    from dashboards.theme import LIGHT_SCALE, TEXT

    def rgb(colour: str) -> tuple[int, int, int]:
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    assert all(contrast(rgb(TEXT), rgb(cell)) >= 4.5 for _, cell in LIGHT_SCALE)

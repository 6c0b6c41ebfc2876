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
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.web.test_language import switch
from tests.web.test_staff import log_in


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


def csrf_header(client: FlaskClient, path: str) -> dict[str, str]:
    """Open the dashboard page as the browser does; it hands out the token Dash echoes."""
    client.get(path)
    token = client.get_cookie("_csrf_token", path=path)
    return {"X-CSRFToken": token.value} if token else {}


def group_callback_body(client: FlaskClient, group_id: int) -> dict:
    """The body dash-renderer sends for the group callback, built from _dash-dependencies."""
    dependencies = client.get("/dash/group/_dash-dependencies").get_json()
    callback = next(d for d in dependencies if "group-trajectories.figure" in d["output"])
    return {
        "output": callback["output"],
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".")[1]}
            for part in callback["output"].strip(".").split("...")
        ],
        "inputs": [
            {"id": "group-select", "property": "value", "value": group_id},
            {"id": "member-select", "property": "value", "value": None},
        ],
        "changedPropIds": ["group-select.value"],
        "state": [],
    }


def post_callback(client: FlaskClient, body: dict, headers: dict[str, str]):
    return client.post(
        "/dash/group/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


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
    dependencies = client.get("/dash/group/_dash-dependencies").get_json()
    callback = next(d for d in dependencies if d["output"].startswith("..group-select.options"))
    body = {
        "output": callback["output"],
        "outputs": [
            {"id": "group-select", "property": "options"},
            {"id": "group-select", "property": "value"},
        ],
        "inputs": [{"id": "group-url", "property": "search", "value": f"?group={groups.id}"}],
        "changedPropIds": ["group-url.search"],
        "state": [],
    }
    response = client.post(
        "/dash/group/_dash-update-component", json=body, headers=headers
    ).get_json()
    options = response["response"]["group-select"]["options"]
    assert [o["label"] for o in options] == ["Groep B"]
    assert response["response"]["group-select"]["value"] != groups.id


def test_member_codes_ending_on_the_same_score_do_not_print_over_each_other() -> None:
    from itertools import pairwise

    import pandas as pd

    from dashboards.group.figures import LABEL_GAP, label_heights

    sessions = pd.Series([12, 12, 12, 12, 9], index=["M79", "M74", "M72", "M81", "M60"])
    scores = pd.Series([5.0, 5.0, 6.0, 17.0, 5.0], index=sessions.index)
    heights = dict(zip(sessions.index, label_heights(sessions, scores), strict=True))
    at_twelve = sorted(heights[m] for m in ("M79", "M74", "M72", "M81"))
    assert all(b - a >= LABEL_GAP - 1e-9 for a, b in pairwise(at_twelve))
    assert heights["M81"] == 17.0  # far from the others: stays at its score
    assert heights["M60"] == 5.0  # another session: untouched
    assert abs(heights["M79"] - 5.0) < LABEL_GAP * 1.5  # still beside its own point

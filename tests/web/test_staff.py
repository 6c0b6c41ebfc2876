"""The staff application: login (with and without second factor), throttling, CSRF, who sees
which route, the caseload, acknowledging a flag, and the audit rows all of that writes."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AuditEvent, Flag
from tests.factories import make_dropout_flag, make_group, make_member
from tests.personas import PASSWORD, cast
from tests.staff_session import csrf, log_in


@pytest.fixture
def people(app: Flask):
    team = cast()
    group_a = make_group("GA", therapists=(team.anna, team.bram), name="Groep A")
    group_b = make_group("GB", therapists=(team.carla,), name="Groep B")
    for group, code in ((group_a, "MA1"), (group_b, "MB1")):
        member = make_member(group, code)
        make_dropout_flag(member, session=4, reasons=[{"code": "dropout_absent_now", "value": 1.0}])
    db.session.commit()
    return team


def flag_of(code: str) -> Flag:
    from rom.models import Client, Membership

    return db.session.scalar(
        sa.select(Flag).join(Membership).join(Client).where(Client.code == code)
    )


def test_login_without_second_factor_in_the_demo_says_so(client: FlaskClient, people) -> None:
    assert "tweede stap (eenmalige code) staat uit" in client.get("/staff/login").get_data(
        as_text=True
    )
    response = log_in(client, "anna@kring.test")
    assert response.status_code == 302
    assert client.get("/staff/flags").status_code == 200


def test_wrong_password_is_refused_and_audited(client: FlaskClient, people) -> None:
    response = log_in(client, "anna@kring.test", "wrong")
    assert "klopt niet" in response.get_data(as_text=True)
    assert client.get("/staff/flags").status_code == 302
    assert db.session.scalar(sa.select(AuditEvent.action)) == "login_failed"


def test_second_factor_enrolment_then_a_code_is_required(
    app: Flask, client: FlaskClient, people
) -> None:
    app.config["REQUIRE_SECOND_FACTOR"] = True
    try:
        assert log_in(client, "anna@kring.test").headers["Location"].endswith("/login/enrol")
        page = client.get("/staff/login/enrol").get_data(as_text=True)
        assert "<svg" in page
        secret = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
        token = csrf(client, "/staff/login/enrol")
        codes_page = client.post(
            "/staff/login/enrol", data={"csrf_token": token, "code": pyotp.TOTP(secret).now()}
        ).get_data(as_text=True)
        assert codes_page.count("<li><code>") == 8
        client.post("/staff/logout", data={"csrf_token": csrf(client, "/staff/flags")})
        assert log_in(client, "anna@kring.test").headers["Location"].endswith("/login/code")
        wrong = client.post(
            "/staff/login/code",
            data={"csrf_token": csrf(client, "/staff/login/code"), "code": "000000"},
        )
        assert "klopt niet" in wrong.get_data(as_text=True)
        client.post(
            "/staff/login/code",
            data={
                "csrf_token": csrf(client, "/staff/login/code"),
                "code": pyotp.TOTP(secret).at(time.time() + 30),  # the enrolment's code is spent
            },
        )
        assert client.get("/staff/flags").status_code == 200
    finally:
        app.config["REQUIRE_SECOND_FACTOR"] = False


def test_failed_logins_are_throttled(client: FlaskClient, people) -> None:
    codes = [log_in(client, "anna@kring.test", "wrong").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5
    assert codes[5] == 429


def test_a_form_without_csrf_token_is_refused(client: FlaskClient, people) -> None:
    response = client.post("/staff/login", data={"email": "anna@kring.test", "password": PASSWORD})
    assert response.status_code == 400


ROUTES = ["/staff/flags", "/staff/groups", "/staff/outbox"]
MATRIX = {  # persona -> expected status per route
    None: [302, 302, 302],
    "anna": [200, 200, 403],
    "carla": [200, 200, 403],
    "mila": [200, 200, 403],
    "ad": [200, 200, 200],
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_role_matrix(client: FlaskClient, people, persona: str | None) -> None:
    if persona:
        log_in(client, f"{persona}@kring.test")
    assert [client.get(route).status_code for route in ROUTES] == MATRIX[persona]


def test_a_therapist_sees_only_the_flags_of_their_own_groups(client: FlaskClient, people) -> None:
    log_in(client, "carla@kring.test")
    page = client.get("/staff/flags").get_data(as_text=True)
    assert "MB1" in page
    assert "MA1" not in page
    assert "Afwezig zonder bericht" in page


@pytest.mark.parametrize(
    ("persona", "status"), [("anna", 302), ("bram", 302), ("carla", 404), ("mila", 403)]
)
def test_who_may_acknowledge_a_flag_of_group_a(
    client: FlaskClient, people, persona: str, status: int
) -> None:
    log_in(client, f"{persona}@kring.test")
    flag = flag_of("MA1")
    response = client.post(
        f"/staff/flags/{flag.id}/acknowledge",
        data={"csrf_token": csrf(client, "/staff/flags"), "action": "contact", "note": "gebeld"},
    )
    assert response.status_code == status, response.get_data(as_text=True)[-300:]
    db.session.expire_all()
    assert (flag_of("MA1").acknowledged_at is not None) == (status == 302)


def test_acknowledging_records_action_note_and_audit(client: FlaskClient, people) -> None:
    log_in(client, "anna@kring.test")
    flag = flag_of("MA1")
    client.post(
        f"/staff/flags/{flag.id}/acknowledge",
        data={
            "csrf_token": csrf(client, "/staff/flags"),
            "action": "discuss_in_team",
            "note": "in MDO donderdag",
        },
    )
    db.session.expire_all()
    flag = flag_of("MA1")
    assert (flag.action.value, flag.note) == ("discuss_in_team", "in MDO donderdag")
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["login", "view", "acknowledge_flag"]
    view = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "view"))
    assert view.detail == {"flags": [flag.id]}
    assert view.address == "127.0.0.1"


def test_security_headers_on_staff_and_member_pages(client: FlaskClient, people) -> None:
    for path in ("/staff/login", "/q/unknown"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_acknowledging_without_choosing_an_action_changes_nothing(
    client: FlaskClient, people
) -> None:
    log_in(client, "anna@kring.test")
    flag = flag_of("MA1")
    response = client.post(
        f"/staff/flags/{flag.id}/acknowledge",
        data={"csrf_token": csrf(client, "/staff/flags"), "action": "", "note": "oeps"},
    )
    assert response.status_code == 302
    assert "Kies een actie" in client.get("/staff/flags").get_data(as_text=True)
    db.session.expire_all()
    assert flag_of("MA1").acknowledged_at is None

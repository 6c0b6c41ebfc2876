"""Holes an attacker found (issue: trust), each held shut by a test that failed before the fix."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AuditEvent, Client, Membership, Referral, StaffSession, utcnow
from rom.services import staff_sessions
from rom.services.api_tokens import create_token
from tests.bundles import TINY
from tests.factories import make_group, make_member
from tests.personas import PASSWORD, cast
from tests.staff_session import csrf, log_in
from tests.web.dash_callbacks import csrf_header, group_callback_body, post_callback


@pytest.fixture
def team(app: Flask):
    people = cast()
    a = make_group("GA", therapists=(people.anna,), name="Groep A")
    make_group("GA2", therapists=(people.anna,), name="Groep A2", format="slow_open")
    b = make_group("GB", therapists=(people.carla,), name="Groep B")
    make_member(a, "MA1")
    make_member(b, "MB1")
    db.session.commit()
    return people


def client_of(code: str) -> Client:
    db.session.expire_all()
    return db.session.scalar(sa.select(Client).where(Client.code == code))


def group_id(code: str) -> int:
    from rom.models import Group

    return db.session.scalar(sa.select(Group.id).where(Group.code == code))


def memberships_of(code: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Membership).join(Client).where(Client.code == code)
    )


def enrol_form(client: FlaskClient, group: int, **fields: str) -> dict[str, str]:
    path = f"/staff/groups/{group}/members/new"
    return {"csrf_token": csrf(client, path), "language": "nl"} | fields


def test_a_typed_code_never_takes_over_another_teams_client(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    path = f"/staff/groups/{group_id('GA2')}/members/new"
    taken = client.post(
        path,
        data=enrol_form(
            client, group_id("GA2"), code="MB1", first_name="X", email="anna@kring.test"
        ),
    )
    assert taken.status_code == 422
    assert "al in gebruik" in taken.get_data(as_text=True)
    known = client.post(
        path,
        data=enrol_form(client, group_id("GA2"), code="MB1", known_client="y"),
    )
    assert known.status_code == 422
    assert "geen cliënt met deze code" in known.get_data(as_text=True)
    stolen = client_of("MB1")
    assert (stolen.email, stolen.first_name) == ("mb1@example.org", "Sanne")
    assert memberships_of("MB1") == 1
    refused = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "refused")).all()
    assert [e.detail.get("reason") for e in refused] == ["unknown_client"]


def test_a_known_client_is_enrolled_again_explicitly_and_audited(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    path = f"/staff/groups/{group_id('GA2')}/members/new"
    again = client.post(
        path,
        data=enrol_form(
            client, group_id("GA2"), code="MA1", known_client="y", email="other@example.org"
        ),
    )
    assert again.status_code == 302
    assert memberships_of("MA1") == 2
    assert client_of("MA1").email == "ma1@example.org"  # kept, not overwritten by the form
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "enrol_known"))
    assert event.actor_id == team.anna.id
    assert event.detail["client"] == client_of("MA1").id


def test_a_referral_never_reaches_another_teams_client(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    fields = {
        "csrf_token": csrf(client, "/staff/waiting-list/new"),
        "code": "MB1",
        "first_name": "X",
        "email": "anna@kring.test",
        "language": "nl",
        "availability": "0:morning",
        "referrer": "Huisarts",
        "referred_on": "2026-01-05",
    }
    for extra in ({}, {"known_client": "y"}):
        refused = client.post("/staff/waiting-list/new", data=fields | extra)
        assert refused.status_code == 422
    assert client_of("MB1").email == "mb1@example.org"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0
    known = client.post(
        "/staff/waiting-list/new", data=fields | {"code": "MA1", "known_client": "y"}
    )
    assert known.status_code == 302
    assert client_of("MA1").email == "ma1@example.org"


def test_an_api_token_for_one_group_never_reaches_another_groups_client(
    client: FlaskClient, team
) -> None:
    made = create_token(
        "agenda", ["memberships:write"], utcnow() + timedelta(days=1), [group_id("GA2")]
    )
    db.session.commit()
    headers = {"Authorization": f"Bearer {made.secret}"}
    path = f"/api/v1/groups/{group_id('GA2')}/memberships"
    body = {"code": "MB1", "first_name": "X", "email": "attacker@example.org"}
    assert client.post(path, json=body, headers=headers).status_code == 409  # the code is in use
    known = client.post(path, json=body | {"known_client": True}, headers=headers)
    assert known.status_code == 404  # no such client for this caller
    assert client_of("MB1").email == "mb1@example.org"
    assert memberships_of("MB1") == 1
    refusal = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "refused"))
    assert refusal.detail["token"] == "agenda"
    assert refusal.detail["reason"] == "unknown_client"


def membership_id(code: str) -> int:
    return db.session.scalar(sa.select(Membership.id).join(Client).where(Client.code == code))


def test_a_refused_look_at_another_groups_member_is_audited(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test")
    path = f"/staff/members/{membership_id('MB1')}"
    assert client.get(path).status_code == 404
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "refused"))
    assert (event.actor_id, event.detail["path"], event.detail["status"]) == (
        team.anna.id,
        path,
        404,
    )


def test_the_api_audit_keeps_the_whole_path(client: FlaskClient, team) -> None:
    made = create_token("reader", ["scores:read"], utcnow() + timedelta(days=1))
    db.session.commit()
    headers = {"Authorization": f"Bearer {made.secret}"}
    long_code = "MA1"
    first = f"/api/v1/members/{long_code}/scores?instrument=phq9&padding=" + "a" * 40
    second = f"/api/v1/members/{long_code}/scores?instrument=phq9&padding=" + "b" * 40
    for path in (first, second):
        assert client.get(path, headers=headers).status_code == 200
    paths = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.subject_type == "api")
    ).all()
    assert [p["path"] for p in paths] == [first, second]
    assert client.get("/api/v1/members/MB9/scores", headers=headers).status_code == 404
    refused = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "refused"))
    assert (refused.actor_kind, refused.detail["token"]) == ("token", "reader")


def test_commands_that_read_member_data_are_audited(app: Flask, tmp_path) -> None:
    runner = app.test_cli_runner()
    for args in (
        ["rom", "import", str(TINY)],
        ["rom", "export", str(tmp_path / "out")],
        ["rom", "flags", "--group", "GA"],
        ["rom", "flags", "--replay"],
    ):
        assert runner.invoke(args=args).exit_code == 0
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.subject_type, e.actor_kind) for e in events] == [
        ("import", "bundle", "command"),
        ("export", "bundle", "command"),
        ("view", "flags", "command"),
        ("view", "flags", "command"),
    ]
    assert events[1].detail["command"].endswith("rom export")
    assert events[1].detail["os_user"]
    assert events[3].detail["replay"] is True


def log_in_from(client: FlaskClient, address: str, email: str, password: str = PASSWORD):
    page = client.get("/staff/login", environ_overrides={"REMOTE_ADDR": address})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return client.post(
        "/staff/login",
        data={"csrf_token": token.group(1), "email": email, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


def session_cookie(client: FlaskClient) -> str:
    return client.get_cookie("session").value


def test_a_copied_session_cookie_is_dead_after_logout(app: Flask, team) -> None:
    anna = app.test_client()
    log_in(anna, "anna@kring.test")
    page = f"/staff/members/{membership_id('MA1')}"
    assert anna.get(page).status_code == 200
    copied = session_cookie(anna)
    anna.post("/staff/logout", data={"csrf_token": csrf(anna, "/staff/flags")})
    thief = app.test_client()
    thief.set_cookie("session", copied)
    stolen = thief.get(page, environ_overrides={"REMOTE_ADDR": "203.0.113.9"})
    assert stolen.status_code == 302
    assert "/staff/login" in stolen.headers["Location"]
    ended = db.session.scalar(sa.select(StaffSession))
    assert ended.end_reason == "logout"


def test_a_session_ends_when_idle_and_after_its_absolute_lifetime(app: Flask, team) -> None:
    anna = app.test_client()
    page = f"/staff/members/{membership_id('MA1')}"
    with time_machine.travel(datetime(2026, 12, 1, 8, 0), tick=False) as clock:
        log_in(anna, "anna@kring.test")
        clock.shift(timedelta(minutes=29))
        assert anna.get(page).status_code == 200  # active: the idle clock starts again
        clock.shift(timedelta(minutes=31))
        assert anna.get(page).status_code == 302
        log_in(anna, "anna@kring.test")
        for _ in range(12 * 3):  # busy all day, never idle
            clock.shift(timedelta(minutes=20))
            if anna.get(page).status_code != 200:
                break
        assert (time.time() - datetime(2026, 12, 1, 9, 0).timestamp()) / 3600 == pytest.approx(
            12, abs=0.34
        )
    reasons = db.session.scalars(sa.select(StaffSession.end_reason).order_by(StaffSession.id))
    assert list(reasons) == ["idle", "absolute"]


def test_ending_every_session_of_an_account_logs_it_out_everywhere(app: Flask, team) -> None:
    desk, tablet = app.test_client(), app.test_client()
    for device in (desk, tablet):
        log_in(device, "anna@kring.test")
    assert staff_sessions.end_all(team.anna, "password_reset") == 2
    db.session.commit()
    assert all(d.get("/staff/flags").status_code == 302 for d in (desk, tablet))


def enrolled_second_factor(user) -> str:
    secret = pyotp.random_base32()
    user.totp_secret = secret
    db.session.commit()
    return secret


def send_code(client: FlaskClient, code: str, address: str = "127.0.0.1"):
    page = client.get("/staff/login/code", environ_overrides={"REMOTE_ADDR": address})
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    return client.post(
        "/staff/login/code",
        data={"csrf_token": token.group(1), "code": code},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_a_second_factor_code_is_accepted_once(app: Flask, team) -> None:
    secret = enrolled_second_factor(team.anna)
    code = pyotp.TOTP(secret).now()
    first = app.test_client()
    log_in(first, "anna@kring.test")
    assert send_code(first, code).status_code == 302
    second = app.test_client()  # someone who saw the code over her shoulder
    log_in(second, "anna@kring.test")
    replay = send_code(second, code)
    assert replay.status_code == 200
    assert "klopt niet" in replay.get_data(as_text=True)
    assert second.get("/staff/flags").status_code == 302


def test_wrong_codes_are_limited_per_account_from_any_address(app: Flask, team) -> None:
    enrolled_second_factor(team.anna)
    statuses = []
    for attempt in range(8):
        address = f"198.51.100.{attempt % 4 + 1}"
        attacker = app.test_client()
        log_in_from(attacker, address, "anna@kring.test")
        statuses.append(send_code(attacker, "000000", address))
    assert [s.status_code for s in statuses] == [200] * 5 + [429] * 3
    assert 0 < int(statuses[-1].headers["Retry-After"]) <= 15 * 60 + 1


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out(app: Flask, team) -> None:
    attempts = [
        log_in_from(app.test_client(), "198.51.100.7", "anna@kring.test", "guess") for _ in range(6)
    ]
    assert [a.status_code for a in attempts] == [200] * 5 + [429]
    assert 0 < int(attempts[-1].headers["Retry-After"]) <= 15 * 60 + 1
    assert "Te veel pogingen" in attempts[-1].get_data(as_text=True)
    real = log_in_from(app.test_client(), "192.0.2.10", "anna@kring.test")
    assert real.status_code == 302


def test_an_unknown_account_costs_the_same_password_work(
    client: FlaskClient, team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing is not measured here (benchmarks do); what is checked is that an unknown address
    runs the same argon2 verification as a known one."""
    from argon2 import PasswordHasher

    verified = []
    real_verify = PasswordHasher.verify

    def counting(self, hashed, password):
        verified.append(hashed)
        return real_verify(self, hashed, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    for email in ("anna@kring.test", "nobody@kring.test"):
        assert log_in(client, email, "wrong").status_code == 200
    assert len(verified) == 2
    assert verified[0].split("$")[:4] == verified[1].split("$")[:4]  # same argon2 parameters


def test_the_outbox_shows_to_whom_and_what_but_never_a_link_or_address(
    client: FlaskClient, team
) -> None:
    from rom.models import Channel, OutboxMessage
    from tests.factories import make_invitation, make_session

    membership = db.session.get(Membership, membership_id("MA1"))
    invitation, token = make_invitation(membership, make_session(membership.group, 1))
    db.session.add_all(
        [
            OutboxMessage(
                dedupe_key="invitation:1",
                purpose="invitation",
                invitation_id=invitation.id,
                channel=Channel.EMAIL,
                recipient="ma1@example.org",
                subject="Vragenlijst",
                body=f"Vul in: http://kring.test/q/{token}",
            ),
            OutboxMessage(
                dedupe_key="digest:1",
                purpose="digest",
                channel=Channel.EMAIL,
                recipient="anna@kring.test",
                subject="Overzicht",
                body="http://kring.test/staff/flags",
            ),
        ]
    )
    db.session.commit()
    log_in(client, "ad@kring.test")
    page = client.get("/staff/outbox").get_data(as_text=True)
    assert token not in page
    assert "/q/" not in page
    assert "@example.org" not in page
    assert "anna@kring.test" not in page
    assert "MA1" in page
    assert "uitnodiging" in page
    assert "dagoverzicht" in page
    assert "Anna" in page


def test_an_oversized_request_is_refused_at_once_and_changes_nothing(
    client: FlaskClient, team
) -> None:
    from rom.models import Response as QuestionnaireResponse
    from tests.factories import make_invitation, make_session

    huge = "x" * (2 * 1024 * 1024)
    login = client.post("/staff/login", data={"email": "anna@kring.test", "password": huge})
    assert login.status_code == 413
    membership = db.session.get(Membership, membership_id("MA1"))
    _, token = make_invitation(membership, make_session(membership.group, 1))
    db.session.commit()
    answer = client.post(f"/q/{token}", data={"phq9_1": "0", "padding": huge})
    assert answer.status_code == 413
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireResponse)) == 0


def test_managers_and_admins_see_group_signals_but_no_member_flags(
    app: Flask, client: FlaskClient, team
) -> None:
    from rom.models import Flag, FlagKind, Severity

    membership = db.session.get(Membership, membership_id("MA1"))
    db.session.add_all(
        [
            Flag(
                group_id=membership.group_id,
                membership_id=membership.id,
                kind=FlagKind.CRITICAL_ITEM,
                severity=Severity.CRITICAL,
                reasons=[{"code": "critical_item", "value": 2.0}],
                suggested_action="contact_today",
                raised_session=3,
                last_session=3,
            ),
            Flag(
                group_id=membership.group_id,
                kind=FlagKind.COHESION_FALLING,
                severity=Severity.MEDIUM,
                reasons=[{"code": "cohesion_falling", "value": 0.6}],
                suggested_action="discuss_in_team",
                raised_session=3,
                last_session=3,
            ),
        ]
    )
    db.session.commit()
    seen = {}
    for email in ("anna@kring.test", "mila@kring.test", "ad@kring.test"):
        visitor = app.test_client()
        log_in(visitor, email)
        page = visitor.get("/staff/flags").get_data(as_text=True)
        api = visitor.get("/api/v1/flags").get_json()["items"]
        seen[email] = ("MA1" in page, sorted(item["member"] or "group" for item in api))
    assert seen["anna@kring.test"] == (True, ["MA1", "group"])
    assert seen["mila@kring.test"] == (False, ["group"])
    assert seen["ad@kring.test"] == (False, ["group"])


@pytest.mark.parametrize("forged", ["3 or 1=1", 10**30, [3], {"a": 1}, True, -1, "٣"])
def test_a_dashboard_callback_with_a_bad_group_gets_400(
    client: FlaskClient, team, forged: object
) -> None:
    log_in(client, "anna@kring.test")
    headers = csrf_header(client, "/dash/group/")
    response = post_callback(client, group_callback_body(client, forged), headers)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("start", "baseline", "by"),
    [("2026-01-01", "1 or 1", "kind"), ("2026-01-01", 2025, ["kind"]), ({"a": 1}, 2025, "kind")],
)
def test_the_management_callback_refuses_bad_input(
    client: FlaskClient, team, start: object, baseline: object, by: object
) -> None:
    log_in(client, "mila@kring.test")
    headers = csrf_header(client, "/dash/management/")
    dependencies = client.get("/dash/management/_dash-dependencies").get_json()
    callback = next(d for d in dependencies if "management-table" in d["output"])
    body = {
        "output": callback["output"],
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".")[1]}
            for part in callback["output"].strip(".").split("...")
        ],
        "inputs": [  # the period's two date fields, the baseline and breakdown in the address
            {**callback["inputs"][0], "value": start},
            {**callback["inputs"][1], "value": "2026-12-31"},
            {**callback["inputs"][2], "value": f"?baseline={baseline}&by={by}"},
        ],
        "changedPropIds": [f"{callback['inputs'][0]['id']}.{callback['inputs'][0]['property']}"],
        "state": [],
    }
    response = client.post("/dash/management/_dash-update-component", json=body, headers=headers)
    assert response.status_code == 400


def test_a_member_form_key_outside_ascii_is_refused_not_an_error(client: FlaskClient, team) -> None:
    from rom.models import Response as QuestionnaireResponse
    from tests.factories import make_invitation, make_session

    membership = db.session.get(Membership, membership_id("MA1"))
    _, token = make_invitation(membership, make_session(membership.group, 1))
    db.session.commit()
    sent = client.post(f"/q/{token}", data={"csrf_token": "sleutel-é", "phq9_1": "0"})
    assert 400 <= sent.status_code < 500
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireResponse)) == 0


@pytest.mark.parametrize("code", ["X/1", "=HYPERLINK(1)", "-M1", "M 1", "M1\nX", "é1", "x" * 41])
def test_a_member_code_outside_the_pattern_is_refused_everywhere(
    client: FlaskClient, team, code: str
) -> None:
    log_in(client, "anna@kring.test")
    form = client.post(
        f"/staff/groups/{group_id('GA2')}/members/new",
        data=enrol_form(client, group_id("GA2"), code=code, first_name="X", email="x@example.org"),
    )
    assert form.status_code == 422
    made = create_token("agenda", ["memberships:write"], utcnow() + timedelta(days=1))
    db.session.commit()
    api = client.post(
        f"/api/v1/groups/{group_id('GA2')}/memberships",
        json={"code": code, "first_name": "X", "email": "x@example.org"},
        headers={"Authorization": f"Bearer {made.secret}"},
    )
    assert api.status_code == 422
    assert db.session.scalar(sa.select(Client.id).where(Client.code == code)) is None


def test_bundle_cells_that_a_spreadsheet_would_run_are_neutralised_and_read_back(
    app: Flask, tmp_path
) -> None:
    import csv
    import shutil

    from rom.models import Group

    bundle = tmp_path / "in"
    shutil.copytree(TINY, bundle)
    groups = (
        (bundle / "groups.csv")
        .read_text()
        .replace("Skills group A", '"=HYPERLINK(""http://evil.example"",""x"")"')
    )
    (bundle / "groups.csv").write_text(groups)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["rom", "import", str(bundle)]).exit_code == 0
    assert runner.invoke(args=["rom", "export", str(tmp_path / "out")]).exit_code == 0
    with (tmp_path / "out" / "groups.csv").open(encoding="utf-8") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)
    db.session.execute(sa.delete(AuditEvent))
    db.session.commit()
    assert runner.invoke(args=["rom", "import", str(tmp_path / "out")]).exit_code == 0
    stored = db.session.scalars(sa.select(Group.name)).all()
    assert '=HYPERLINK("http://evil.example","x")' in stored


def test_the_audit_export_neutralises_formulas(client: FlaskClient, team) -> None:
    log_in(client, "anna@kring.test", "=cmd|' /C calc'!A0")  # a failed login, audited
    client.post("/staff/logout")
    admin = client
    log_in(admin, "ad@kring.test")
    db.session.add(AuditEvent(actor_kind="=cmd", action="@SUM(1)", subject_type="+x", detail={}))
    db.session.commit()
    export = admin.get("/staff/audit.csv").get_data(as_text=True)
    assert "'=cmd" in export
    assert "'@SUM(1)" in export
    assert "'+x" in export
    for formula in (",=", ",@", ",+"):
        assert formula not in export


def import_of(app: Flask, bundle) -> str:
    result = app.test_cli_runner().invoke(args=["rom", "import", str(bundle)])
    assert result.exit_code == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 0
    return result.output


def tiny_copy(tmp_path):
    import shutil

    shutil.copytree(TINY, tmp_path / "bundle")
    return tmp_path / "bundle"


def test_a_bundle_in_another_encoding_is_named_not_a_traceback(app: Flask, tmp_path) -> None:
    bundle = tiny_copy(tmp_path)
    text = (bundle / "groups.csv").read_text()
    (bundle / "groups.csv").write_bytes(
        text.replace("Skills group A", "Groep Één").encode("latin-1")
    )
    (bundle / "members.csv").write_bytes((bundle / "members.csv").read_text().encode("utf-16"))
    output = import_of(app, bundle)
    assert "groups.csv:2: not UTF-8 text" in output
    assert "members.csv:1: the file is UTF-16; save it as UTF-8" in output
    assert "Traceback" not in output


def test_a_huge_field_and_a_nul_byte_are_problems_with_their_line(app: Flask, tmp_path) -> None:
    bundle = tiny_copy(tmp_path)
    text = (bundle / "groups.csv").read_text()
    (bundle / "groups.csv").write_text(text.replace("Skills group A", "Skills\x00group A"))
    lines = (bundle / "members.csv").read_text().splitlines()
    lines.insert(2, "MX," + "x" * 200_000 + ",1,nl")
    (bundle / "members.csv").write_text("\n".join(lines) + "\n")
    output = import_of(app, bundle)
    assert "groups.csv:2: name: contains a control character" in output
    assert "members.csv:3: not readable as CSV (field larger than field limit" in output


def test_line_numbers_count_from_where_a_row_starts(app: Flask, tmp_path) -> None:
    bundle = tiny_copy(tmp_path)
    lines = (bundle / "groups.csv").read_text().splitlines()
    first = lines[1].split(",")
    first[1] = '"Skills\ngroup\nA"'
    lines[1] = ",".join(first)
    lines.append("GZ,Broken,skills,closed,twelve,2026-03-02")
    (bundle / "groups.csv").write_text("\n".join(lines) + "\n")
    output = import_of(app, bundle)
    assert "groups.csv:2: name: contains a control character" in output
    assert f"groups.csv:{len(lines) + 2}: planned_sessions: Not a valid integer." in output


def test_a_hopeless_file_is_given_up_early_and_the_count_says_so(app: Flask, tmp_path) -> None:
    bundle = tiny_copy(tmp_path)
    with (bundle / "responses.csv").open("a") as handle:
        for number in range(50_000):
            handle.write(f"M{number},GA,one,phq9,1,0,2026-03-02T10:00:00\n")
    output = import_of(app, bundle)
    assert "Import refused: at least 1000 problem(s) (the first 200 shown)" in output


def test_error_pages_speak_the_readers_language_and_lead_back(client: FlaskClient, team) -> None:
    assert client.get("/").headers["Location"].endswith("/staff/")
    anonymous = client.get("/nowhere")
    assert anonymous.status_code == 404
    assert "Niet gevonden" in anonymous.get_data(as_text=True)
    assert "Not Found" not in anonymous.get_data(as_text=True)
    log_in(client, "anna@kring.test")
    refused = client.get("/staff/outbox")
    assert refused.status_code == 403
    assert "Geen toegang" in refused.get_data(as_text=True)
    client.post(
        "/staff/language", data={"csrf_token": csrf(client, "/staff/flags"), "language": "en"}
    )
    english = client.get("/staff/members/999999")
    assert english.status_code == 404
    page = english.get_data(as_text=True)
    assert "Not found" in page
    assert "Niet gevonden" not in page
    assert 'href="/staff/"' in page
    member = client.get("/q/no-such-link/extra")
    assert "tel:113" in member.get_data(as_text=True)

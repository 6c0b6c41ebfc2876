"""Every route of the application, GET and every write, walked with every role and without a
login: each answer is the one the role matrix allows, and a refused write changes nothing. A
route added without an entry here fails the test, so the question 'who may do this?' is always
answered on purpose."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import Battery, Flag, GroupSession, PreparedReport, ReportKind, ReportStatus
from rom.services.waiting_list import NewReferral, refer
from tests.factories import make_dropout_flag, make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in
from tests.web.role_matrix import AD, ANNA, ANONYMOUS, CARLA, LOGIN, MATRIX, MILA, PEOPLE

NOT_PAGES = ("static", "_dash-component-suites", "/assets/", "_favicon.ico", "_reload-hash")


def get_rules(app: Flask) -> set[str]:
    """Every GET route as a path template in the notation of MATRIX."""
    rules = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or any(part in rule.rule for part in NOT_PAGES):
            continue
        rules.add(re.sub(r"<[^:>]+:", "<", rule.rule))  # <int(max=...):id> -> <id>
    return rules


def test_every_get_route_has_an_entry_in_the_matrix(app: Flask) -> None:
    assert get_rules(app) == set(MATRIX)


@pytest.fixture
def world(app: Flask) -> dict[str, str]:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    make_group("GB", therapists=(team.carla,), name="Groep B")
    member = make_member(group, "MA1")
    session = make_session(group, 1)
    make_dropout_flag(member, session=1)
    referral = refer(
        NewReferral(
            code="W1",
            first_name="Noor",
            email="w1@example.org",
            phone=None,
            language="nl",
            kind=None,
            availability=["0:morning"],
            referrer="Huisarts",
            referred_on=date(2026, 1, 5),
        ),
        date(2026, 3, 1),
    )
    db.session.commit()
    battery = db.session.scalar(sa.select(Battery.id))
    report = PreparedReport(
        kind=ReportKind.GROWTH_PATH,
        year=2026,
        language="nl",
        requested_by_id=team.mila.id,
        status=ReportStatus.READY,
        content=b"%PDF-1.7 prepared",
    )
    db.session.add(report)
    db.session.commit()
    assert db.session.get(GroupSession, session.id) is not None
    return {
        "<group_id>": str(group.id),
        "<session_id>": str(session.id),
        "<membership_id>": str(member.id),
        "<referral_id>": str(referral.id),
        "<battery_id>": str(battery),
        "<token>": "not-a-real-link",
        "<code>": "MA1",
        "<instrument_id>": "phq9",
        "<questionnaire_id>": "gcq-s",
        "<code_system_id>": "gcq-s-options",
        "<path>": "anything",
        "<flag_id>": str(db.session.scalar(sa.select(Flag.id))),
        "<staff_id>": str(team.carla.id),
        "<action>": "reactivate",
        "<year>": "2025",
        "<report_id>": str(report.id),
    }


@pytest.mark.parametrize("person", PEOPLE)
def test_each_role_gets_exactly_what_the_matrix_allows(
    client: FlaskClient, world: dict[str, str], person: str
) -> None:
    if person != ANONYMOUS:
        log_in(client, f"{person}@kring.test")
    wrong = {}
    for template, expected in MATRIX.items():
        path = template
        for placeholder, value in world.items():
            path = path.replace(placeholder, value)
        status = client.get(path).status_code
        if status != expected[person]:
            wrong[path] = (status, expected[person])
    assert wrong == {}, "path: (got, expected)"


REFUSED = (401, 403, 404)
# Writes, sent with a valid CSRF key and no fields (a session's token is missing for the API, and
# Dash gets an empty call): the allowed get 4xx for the missing input or do the one thing the
# form needs no input for (302); the others are refused. In this order: logout comes last.
WRITES: dict[str, dict[str, int]] = {
    "POST /api/v1/groups/<group_id>/memberships": dict.fromkeys(PEOPLE, 401),
    "POST /api/v1/groups/<group_id>/memberships/<code>/end": dict.fromkeys(PEOPLE, 401),
    "POST /api/v1/groups/<group_id>/sessions": dict.fromkeys(PEOPLE, 401),
    "PATCH /api/v1/sessions/<session_id>": dict.fromkeys(PEOPLE, 401),
    "PUT /api/v1/sessions/<session_id>/attendance": dict.fromkeys(PEOPLE, 401),
    "POST /api/v1/sessions/<session_id>/cancel": dict.fromkeys(PEOPLE, 401),
    "PUT /api/v1/individual-volumes/<year>": dict.fromkeys(PEOPLE, 401),  # writes need a token
    "POST /dash/caseload/_dash-update-component": {
        ANONYMOUS: 401,
        ANNA: 400,
        CARLA: 400,
        MILA: 403,
        AD: 403,
    },
    "POST /dash/group/_dash-update-component": {
        ANONYMOUS: 401,
        ANNA: 400,
        CARLA: 400,
        MILA: 403,
        AD: 403,
    },
    "POST /dash/management/_dash-update-component": {
        ANONYMOUS: 401,
        ANNA: 403,
        CARLA: 403,
        MILA: 400,
        AD: 400,
    },
    "POST /q/<token>": dict.fromkeys(PEOPLE, 404),
    "POST /staff/batteries/<battery_id>": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 403,
        AD: 422,
    },
    "POST /staff/batteries/new": {ANONYMOUS: LOGIN, ANNA: 403, CARLA: 403, MILA: 403, AD: 422},
    "POST /staff/data-rights/<code>/erase": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 403,
        AD: 400,
    },
    "POST /staff/flags/<flag_id>/acknowledge": {
        ANONYMOUS: LOGIN,
        ANNA: 302,  # back to the list, which asks to choose an action; nothing recorded
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/groups/<group_id>/battery": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 422,
    },
    "POST /staff/groups/<group_id>/edit": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 422,
    },
    "POST /staff/groups/<group_id>/members/new": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/groups/<group_id>/sessions": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/groups/new": {ANONYMOUS: LOGIN, ANNA: 422, CARLA: 422, MILA: 403, AD: 422},
    "POST /staff/language": dict.fromkeys(PEOPLE, 400),
    "POST /staff/login": {ANONYMOUS: 200, ANNA: 302, CARLA: 302, MILA: 302, AD: 302},
    "POST /staff/login/code": dict.fromkeys(PEOPLE, 302),  # no password given: to the login
    "POST /staff/login/enrol": dict.fromkeys(PEOPLE, 302),
    "POST /staff/members/<membership_id>/contact": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/members/<membership_id>/end": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/referrals/<referral_id>": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 422,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/referrals/<referral_id>/intake": {
        ANONYMOUS: LOGIN,
        ANNA: 302,  # sends the intake questionnaire: the form has no fields
        CARLA: 302,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/referrals/<referral_id>/place": {
        ANONYMOUS: LOGIN,
        ANNA: 404,  # no group chosen: none of hers
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/reports/organisation": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 422,  # no period given: nothing asked for
        AD: 422,
    },
    "POST /staff/reports/growth-path": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 422,  # no year given
        AD: 422,
    },
    "POST /staff/reports/individual-volume": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 422,  # no year given: the form asks for it, nothing stored
        AD: 422,
    },
    "POST /staff/reports/individual-volume/import": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 422,  # no file given
        AD: 422,
    },
    "POST /staff/sessions/<session_id>/attendance": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/sessions/<session_id>/wrap-up": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/waiting-list/new": {
        ANONYMOUS: LOGIN,
        ANNA: 422,
        CARLA: 422,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/sessions/<session_id>/cancel": {
        ANONYMOUS: LOGIN,
        ANNA: 302,  # cancels the session: the form has no fields
        CARLA: 404,
        MILA: 403,
        AD: 403,
    },
    "POST /staff/accounts/new": {ANONYMOUS: LOGIN, ANNA: 403, CARLA: 403, MILA: 403, AD: 422},
    "POST /staff/accounts/<staff_id>": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 403,
        AD: 422,
    },
    "POST /staff/accounts/<staff_id>/<action>": {
        ANONYMOUS: LOGIN,
        ANNA: 403,
        CARLA: 403,
        MILA: 403,
        AD: 302,  # reactivates (already active): the form needs no input
    },
    "POST /staff/account/<token>": dict.fromkeys(PEOPLE, 410),
    "POST /staff/login/forgot": dict.fromkeys(PEOPLE, 200),  # the form again, asking for input
    "POST /staff/logout": {ANONYMOUS: LOGIN, ANNA: 302, CARLA: 302, MILA: 302, AD: 302},
}
UNCOUNTED = {"audit_events", "staff_sessions"}  # written by refusals and logins themselves


def write_rules(app: Flask) -> set[str]:
    """Every route that takes a write, as 'METHOD template' in the notation of WRITES."""
    rules = set()
    for rule in app.url_map.iter_rules():
        template = re.sub(r"<[^:>]+:", "<", rule.rule)
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            rules.add(f"{method} {template}")
    return rules


def test_every_write_route_has_an_entry_in_the_matrix(app: Flask) -> None:
    assert write_rules(app) == set(WRITES)


def stored_rows() -> dict[str, int]:
    from rom.models import Base

    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
        if table.name not in UNCOUNTED
    }


@pytest.mark.parametrize("person", PEOPLE)
def test_each_role_may_write_exactly_what_the_matrix_allows(
    client: FlaskClient, world: dict[str, str], person: str
) -> None:
    if person != ANONYMOUS:
        log_in(client, f"{person}@kring.test")
    token = csrf(client, "/staff/login" if person == ANONYMOUS else "/staff/flags")
    wrong, changed = {}, []
    for route, expected in WRITES.items():
        method, path = route.split(" ")
        for placeholder, value in world.items():
            path = path.replace(placeholder, value)
        before = stored_rows()
        if path.startswith(("/api", "/dash")):
            status = client.open(path, method=method, json={}, headers={"X-CSRFToken": token})
        else:
            status = client.open(path, method=method, data={"csrf_token": token})
        if status.status_code != expected[person]:
            wrong[route] = (status.status_code, expected[person])
        if expected[person] in REFUSED and stored_rows() != before:
            changed.append(route)
    assert wrong == {}, "route: (got, expected)"
    assert changed == [], "refused, yet stored rows changed"

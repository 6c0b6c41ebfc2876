"""One account holding several roles: a therapist who also manages sees the organisation's
aggregates, and clinical detail of the groups she leads only; an administrator who also treats
keeps no clinical view of groups she does not lead."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import Flag, Group, Membership, Role
from tests.factories import make_dropout_flag, make_group, make_member
from tests.personas import cast
from tests.staff_session import csrf, log_in


@pytest.fixture
def team(app: Flask):
    people = cast()
    people.anna.roles = {Role.THERAPIST, Role.MANAGER}
    people.ad.roles = {Role.ADMIN, Role.THERAPIST}
    group_a = make_group("GA", therapists=(people.anna,), name="Groep A")
    group_b = make_group("GB", therapists=(people.carla,), name="Groep B")
    for group, code in ((group_a, "MA1"), (group_b, "MB1")):
        member = make_member(group, code)
        make_dropout_flag(member, session=4, reasons=[{"code": "dropout_absent_now", "value": 1.0}])
    db.session.commit()
    return people


def ids(code: str) -> tuple[int, int, int]:
    """The member's group, membership and flag."""
    return db.session.execute(
        sa.select(Group.id, Membership.id, Flag.id)
        .join(Membership, Membership.group_id == Group.id)
        .join(Flag, Flag.membership_id == Membership.id)
        .where(Membership.client.has(code=code))
    ).one()


def test_a_therapist_who_manages_sees_aggregates_and_only_her_own_members(
    client: FlaskClient, team
) -> None:
    log_in(client, "anna@kring.test")
    own_group, own_member, _ = ids("MA1")
    other_group, other_member, other_flag = ids("MB1")
    assert client.get("/dash/management/").status_code == 200  # the manager's view
    assert client.get("/dash/caseload/").status_code == 200  # and the therapist's
    assert client.get(f"/staff/members/{own_member}").status_code == 200
    assert client.get(f"/staff/members/{other_member}").status_code == 404
    assert client.get(f"/staff/members/{other_member}/report.pdf").status_code == 404
    flags = client.get("/staff/flags").get_data(as_text=True)
    assert "MA1" in flags
    assert "MB1" not in flags
    other = client.get(f"/staff/groups/{other_group}").get_data(as_text=True)
    assert "MB1" in other  # the code, as a manager sees it
    assert f"/staff/members/{other_member}" not in other
    assert "Sessies en aanwezigheid" not in other
    assert "Sessies en aanwezigheid" in client.get(f"/staff/groups/{own_group}").get_data(
        as_text=True
    )
    for path in (
        f"/staff/groups/{other_group}/sessions",
        f"/staff/groups/{other_group}/members/new",
        f"/staff/groups/{other_group}/edit",
        f"/staff/groups/{other_group}/report.pdf",
    ):
        assert client.get(path).status_code == 404, path
    acknowledge = client.post(
        f"/staff/flags/{other_flag}/acknowledge",
        data={"csrf_token": csrf(client, "/staff/flags"), "action": "contact"},
    )
    assert acknowledge.status_code == 404
    assert db.session.get(Flag, other_flag).acknowledged_at is None
    assert client.get("/api/v1/members/MB1/scores").status_code == 404
    assert client.get("/api/v1/members/MA1/scores").status_code == 200


def test_an_administrator_who_treats_sees_no_clinical_detail_of_other_groups(
    client: FlaskClient, team
) -> None:
    log_in(client, "ad@kring.test")
    group, member, _ = ids("MA1")
    assert client.get("/staff/accounts").status_code == 200
    assert client.get(f"/staff/members/{member}").status_code == 404
    assert client.get(f"/staff/groups/{group}/sessions").status_code == 404
    assert client.get(f"/staff/groups/{group}/edit").status_code == 200  # admins change groups
    assert "MA1" not in client.get("/staff/flags").get_data(as_text=True)
    header = client.get("/staff/groups").get_data(as_text=True)
    assert "(behandelaar, beheerder)" in header

"""The waiting list in the staff application: refer, judge, see matches with their reasons and
the composition, place; bad input is refused with a clear message and changes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.clock import organisation_today
from rom.extensions import db
from rom.models import Client, Group, Membership, Referral, ReferralStatus, utcnow
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in
from tests.web.staff_forms import judge, refer


@pytest.fixture
def monday_group(app: Flask) -> Group:
    """A slow-open skills group on Monday mornings led by Anna, with two places left."""
    team = cast()
    start = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    group = make_group(
        "GW",
        therapists=(team.anna,),
        name="Vaardigheden maandag",
        format="slow_open",
        intended_size=3,
        weekday=0,
        start_time=time(10, 0),
    )
    make_session(group, 1, start)
    make_member(group, "M1")
    db.session.commit()
    return group


def _referral() -> Referral:
    return db.session.scalar(sa.select(Referral))


def test_a_therapist_refers_judges_and_places_a_client(
    client: FlaskClient, monday_group: Group
) -> None:
    log_in(client, "anna@kring.test")
    assert refer(client).status_code == 302
    referral = _referral()
    assert referral.availability == ["0:morning", "3:evening"]
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Nu geen passende groep" in page  # not judged yet: nothing proposed
    assert "· Nederlands</p>" in page  # the language by name, not 'nl'
    listing = client.get("/staff/waiting-list").get_data(as_text=True)
    assert "<td>Nederlands</td>" in listing
    assert judge(client, referral.id).status_code == 302
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Vaardigheden maandag" in page
    candidates = client.get(f"/staff/groups/{monday_group.id}/candidates?propose={referral.id}")
    html = candidates.get_data(as_text=True)
    assert "de gewenste soort groep · taal past · dag en tijd passen" in html
    days = (organisation_today() - date(2026, 9, 1)).days
    assert f"wacht {days} dagen" in html
    assert "W100 (voorgesteld)" in html
    path = f"/staff/referrals/{referral.id}/place"
    placed = client.post(
        path,
        data={
            "group_id": monday_group.id,
            "csrf_token": csrf(client, f"/staff/referrals/{referral.id}"),
        },
    )
    assert placed.status_code == 302
    db.session.expire_all()
    membership = db.session.scalar(sa.select(Membership).join(Client).where(Client.code == "W100"))
    assert membership.group_id == monday_group.id
    assert _referral().status == ReferralStatus.PLACED


def test_a_referral_without_language_is_refused_and_nothing_is_stored(
    client: FlaskClient, monday_group: Group
) -> None:
    log_in(client, "anna@kring.test")
    response = refer(client, language="")
    assert response.status_code == 422
    assert "Kies de taal waarin de cliënt behandeld wil worden." in response.get_data(as_text=True)
    assert _referral() is None
    assert db.session.scalar(sa.select(Client).where(Client.code == "W100")) is None


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not_suitable", "Alleen een cliënt die geschikt is bevonden"),
        ("full", "Deze groep heeft geen open plaats."),
    ],
)
def test_a_placement_that_cannot_be_is_refused_and_changes_nothing(
    client: FlaskClient, monday_group: Group, setup: str, message: str
) -> None:
    log_in(client, "anna@kring.test")
    refer(client)
    referral = _referral()
    if setup == "not_suitable":
        judge(client, referral.id, decision="not_suitable", reason="Eerst stabiliseren.")
    else:
        judge(client, referral.id)
        make_member(monday_group, "M2")
        make_member(monday_group, "M3")
        db.session.commit()
    members = db.session.scalar(sa.select(sa.func.count()).select_from(Membership))
    response = client.post(
        f"/staff/referrals/{referral.id}/place",
        data={
            "group_id": monday_group.id,
            "csrf_token": csrf(client, f"/staff/referrals/{referral.id}"),
        },
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == members
    assert _referral().status == ReferralStatus.WAITING


def test_the_composition_warns_about_a_lone_language_and_a_small_group(
    client: FlaskClient, monday_group: Group
) -> None:
    log_in(client, "anna@kring.test")
    monday_group.language = "en"
    monday_group.minimum_size = 4
    db.session.commit()
    refer(client, language="en")
    referral = _referral()
    judge(client, referral.id)
    html = client.get(f"/staff/groups/{monday_group.id}/candidates?propose={referral.id}").get_data(
        as_text=True
    )
    assert "M1 is de enige met als taal Nederlands." in html
    assert "De groep zou 2 leden hebben, minder dan het minimum van 4." in html

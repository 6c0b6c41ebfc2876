"""The waiting list's services: a referral, the judgement of suitability, open places and a
placement; every refusal names what is wrong (read here in English) and changes nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from rom.extensions import db
from rom.models import Membership, Referral, ReferralStatus
from rom.services.waiting_list import (
    Judgement,
    NewReferral,
    WaitingListError,
    judge,
    open_places,
    place,
    refer,
)
from tests.factories import make_group, make_member, make_session, make_therapist

TODAY = date(2026, 11, 24)
COMING = datetime(2026, 11, 30, 9, 0)  # a session still to come (UTC)
NEW = NewReferral(
    code="W001",
    first_name="Noor",
    email="noor@example.org",
    phone=None,
    language="nl",
    kind="skills",
    availability=["0:morning", "2:evening"],
    referrer="Huisarts De Boer",
    referred_on=date(2026, 10, 1),
)
SUITABLE = Judgement(
    factors={
        "motivation": "sufficient",
        "reflection": "sufficient",
        "social_functioning": "doubtful",
        "language_and_cognition": "sufficient",
    },
    decision="suitable",
    reason="Gemotiveerd; sociale angst is juist een reden voor de groep.",
)


def _count(model: type) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_referral_waits_with_its_wishes(app: Flask) -> None:
    referral = refer(NEW, TODAY)
    db.session.commit()
    assert referral.status == ReferralStatus.WAITING
    assert referral.availability == ["0:morning", "2:evening"]
    assert referral.client.code == "W001"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"language": None}, "Choose the language of treatment"),
        ({"availability": []}, "Choose at least one part of a day"),
        ({"availability": ["7:morning"]}, "Choose at least one part of a day"),
        ({"email": None}, "Enter an e-mail address or a mobile number"),
        ({"referred_on": date(2026, 12, 1)}, "The referral date lies in the future"),
        ({"kind": "karate"}, "Unknown kind of group"),
    ],
)
def test_a_bad_referral_is_refused_and_stores_nothing(
    app: Flask, change: dict, message: str
) -> None:
    with force_locale("en"), pytest.raises(WaitingListError, match=message):
        refer(replace(NEW, **change), TODAY)
    db.session.rollback()
    assert _count(Referral) == 0


def test_a_judgement_needs_every_factor_and_a_reason(app: Flask) -> None:
    therapist = make_therapist()
    referral = refer(NEW, TODAY)
    with force_locale("en"), pytest.raises(WaitingListError, match="Rate every factor"):
        judge(referral, replace(SUITABLE, factors={"motivation": "sufficient"}), therapist)
    with (
        force_locale("en"),
        pytest.raises(WaitingListError, match="cannot go with a contra-indication"),
    ):
        judge(referral, replace(SUITABLE, contra_indications=["acute_psychosis"]), therapist)
    with force_locale("en"), pytest.raises(WaitingListError, match="Write down the reason"):
        judge(referral, replace(SUITABLE, reason="  "), therapist)
    assert referral.assessment is None


def test_open_places_of_closed_and_slow_open_groups(app: Flask) -> None:
    closed = make_group("GC", intended_size=3)
    make_session(closed, 1, start=COMING)
    make_member(closed, "C1")
    slow = make_group("GS", format="slow_open", intended_size=2)
    make_member(slow, "S1")
    make_member(slow, "S2")
    assert open_places(closed, TODAY) == 2
    assert open_places(slow, TODAY) == 0


def test_placing_a_suitable_client_enrols_them(app: Flask) -> None:
    therapist = make_therapist()
    group = make_group("GA", therapists=(therapist,))
    make_session(group, 1, start=COMING)
    referral = refer(NEW, TODAY)
    judge(referral, SUITABLE, therapist)
    membership = place(referral, group, TODAY)
    db.session.commit()
    assert (membership.group_id, membership.joined_session) == (group.id, 1)
    assert referral.status == ReferralStatus.PLACED
    assert referral.placed_membership_id == membership.id


@pytest.mark.parametrize("decision", ["not_suitable", "individual_first", None])
def test_a_client_not_judged_suitable_is_not_placed(app: Flask, decision: str | None) -> None:
    therapist = make_therapist()
    group = make_group("GA", therapists=(therapist,))
    referral = refer(NEW, TODAY)
    if decision:
        judge(referral, replace(SUITABLE, decision=decision), therapist)
    db.session.commit()
    with force_locale("en"), pytest.raises(WaitingListError, match="Only a client judged suitable"):
        place(referral, group, TODAY)
    db.session.rollback()
    assert _count(Membership) == 0
    assert db.session.get(Referral, referral.id).status == ReferralStatus.WAITING


def test_a_full_group_takes_no_one(app: Flask) -> None:
    therapist = make_therapist()
    group = make_group("GA", therapists=(therapist,), intended_size=1)
    make_member(group, "M1")
    referral = refer(NEW, TODAY)
    judge(referral, SUITABLE, therapist)
    db.session.commit()
    with force_locale("en"), pytest.raises(WaitingListError, match="This group has no open place"):
        place(referral, group, TODAY)
    db.session.rollback()
    assert _count(Membership) == 1


def test_a_newcomer_starts_at_the_next_session_still_to_come(app: Flask) -> None:
    """Never at a past session nor a cancelled one: the proposal, the places and the placement
    all count from the first session that will be held from today on."""
    from rom.models import SessionStatus
    from rom.services.waiting_list import groups_frame

    therapist = make_therapist()
    group = make_group("GS", therapists=(therapist,), format="slow_open", intended_size=4)
    held, cancelled, passed, coming = (
        make_session(group, number, start=datetime(2026, 11, day, 9, 0))
        for number, day in ((1, 10), (2, 17), (3, 20), (4, 26))
    )
    held.status = SessionStatus.HELD
    cancelled.status = SessionStatus.CANCELLED
    make_member(group, "S1")
    referral = refer(NEW, TODAY)
    judge(referral, SUITABLE, therapist)
    db.session.commit()
    frame = groups_frame(TODAY)
    assert frame.loc[frame["group_id"] == group.id, "next_entry"].tolist() == [date(2026, 11, 26)]
    membership = place(referral, group, TODAY)
    assert membership.joined_session == coming.number
    assert passed.number == 3  # the session of 20 November was neither held nor cancelled

"""A member recorded as away from a session is not asked about it: the questions about the
session are left out of their link and, when nothing else is left, the link says so and its
messages are not sent. What they already began answering is never dropped."""

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
    Invitation,
    Membership,
    Response,
)
from tests.factories import make_group, make_invitation, make_member, make_session
from tests.web.member_questionnaire import PHQ_OK, post_page

GCQ_OK = {f"item-{n}": "3" for n in range(1, 13)}


def _link(instruments: list[str], status: AttendanceStatus | None) -> tuple[str, Invitation]:
    group = make_group()
    member = make_member(group)
    session = make_session(group, 3)
    invitation, token = make_invitation(member, session)
    invitation.instrument_ids = instruments
    if status is not None:
        db.session.add(Attendance(session_id=session.id, membership_id=member.id, status=status))
    db.session.commit()
    return token, invitation


def _pages(client: FlaskClient, token: str) -> tuple[int, str]:
    html = client.get(f"/q/{token}?page=1").get_data(as_text=True)
    total = re.search(r"Vragenlijst 1 van (\d+)", html)
    assert total is not None
    return int(total[1]), html


@pytest.mark.parametrize("status", [AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED])
def test_a_member_away_from_the_session_is_asked_only_about_themselves(
    app: Flask, client: FlaskClient, status: AttendanceStatus
) -> None:
    token, invitation = _link(["phq9", "gcq_s"], status)
    total, html = _pages(client, token)
    assert total == 1
    assert "PHQ-9" in html
    assert "GCQ" not in html
    post_page(client, token, 1, PHQ_OK, action="submit")
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).completed_at is not None
    stored = db.session.scalars(sa.select(Response.instrument_id)).all()
    assert stored == ["phq9"]


@pytest.mark.parametrize("status", [None, AttendanceStatus.PRESENT])
def test_a_member_who_was_there_or_is_not_yet_recorded_gets_every_question(
    app: Flask, client: FlaskClient, status: AttendanceStatus | None
) -> None:
    token, _ = _link(["phq9", "gcq_s"], status)
    assert _pages(client, token)[0] == 2


def test_questions_already_begun_stay_when_the_member_is_recorded_away_later(
    app: Flask, client: FlaskClient
) -> None:
    token, invitation = _link(["gcq_s", "phq9"], None)
    post_page(client, token, 1, GCQ_OK)  # the climate page, saved
    membership = db.session.scalar(sa.select(Membership))
    db.session.add(
        Attendance(
            session_id=invitation.session_id,
            membership_id=membership.id,
            status=AttendanceStatus.ABSENT,
        )
    )
    db.session.commit()
    assert _pages(client, token)[0] == 2


def test_with_nothing_left_to_ask_the_link_says_so_in_the_members_language(
    app: Flask, client: FlaskClient
) -> None:
    token, _ = _link(["gcq_s", "gcs"], AttendanceStatus.EXCUSED)
    dutch = client.get(f"/q/{token}")
    assert dutch.status_code == 410
    assert "Geen vragen over deze bijeenkomst" in dutch.get_data(as_text=True)
    english = client.get(f"/q/{token}?lang=en")
    assert "No questions about this session" in english.get_data(as_text=True)
    assert "Geen vragen" not in english.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0

"""The member page draws the member's PHQ-9 course against the course expected for someone who
started as high, with the same figures in words and in the score table, in the reader's
language."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import Membership, Response, ResponseSource, Score
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import log_in
from tests.web.staff_language import switch

FIRST = datetime(2026, 3, 9, 9, 0)


@pytest.fixture
def member_off_course(app: Flask) -> Membership:
    """Starts at 20 and stays there: by the sixth session well above what was expected."""
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    membership = make_member(group, "MA1")
    for number, total in zip(range(1, 7), (20, 20, 21, 20, 21, 22), strict=True):
        session = make_session(group, number, start=FIRST + timedelta(weeks=number - 1))
        response = Response(
            membership_id=membership.id,
            session_id=session.id,
            instrument_id="phq9",
            instrument_version="1.0",
            completed_at=session.planned_start,
            source=ResponseSource.PHONE,
        )
        response.scores = [Score(scale="total", raw=total, value=total, items_missing=0)]
        db.session.add(response)
    db.session.commit()
    return membership


def chart_text(page: str) -> str:
    [alt] = re.findall(r'<figure class="course">\s*<img class="chart" alt="([^"]*)"', page)
    return alt


def test_the_member_page_shows_the_course_against_the_expected_band(
    client: FlaskClient, member_off_course: Membership
) -> None:
    log_in(client, "anna@kring.test")
    page = client.get(f"/staff/members/{member_off_course.id}").get_data(as_text=True)
    spoken = chart_text(page)
    assert spoken.startswith("PHQ-9 per sessie tegen het verwachte verloop: sessie 1: 20")
    assert "sessie 6: 22, verwacht" in spoken
    assert spoken.endswith("(slechter dan verwacht).")
    assert "Verwacht (25-75%)" in page  # the same figures as a column of the score table
    assert "<strong>slechter dan verwacht</strong>" in page  # the table marks it too

    switch(client, "en")
    english = client.get(f"/staff/members/{member_off_course.id}").get_data(as_text=True)
    spoken = chart_text(english)
    assert spoken.startswith("PHQ-9 per session against the expected course: session 1: 20")
    assert "worse than expected" in spoken
    assert "verwacht" not in english
    assert "sessie" not in english
    assert "Expected (25-75%)" in english
    assert "· Dutch" in english  # the member's language named in the reader's language


def test_a_member_without_scores_has_no_chart(client: FlaskClient, app: Flask) -> None:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    membership = make_member(group, "MA1")
    db.session.commit()
    log_in(client, "anna@kring.test")
    page = client.get(f"/staff/members/{membership.id}").get_data(as_text=True)
    assert '<figure class="course">' not in page
    assert "Nog geen ingevulde vragenlijsten." in page

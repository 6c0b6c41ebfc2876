"""Attendance on a tablet, end to end in Chromium: a therapist taps one member absent, saves,
and the register holds exactly what was tapped; the screen has no serious accessibility
violations."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.models import Attendance, AttendanceStatus, GroupSession, SessionStatus
from tests.browser.conftest import serious_violations
from tests.factories import make_group, make_member, make_session
from tests.personas import PASSWORD, cast

TABLET = {"width": 820, "height": 1180}  # a 10-inch tablet, portrait


def test_a_therapist_takes_attendance_on_a_tablet(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    members = [make_member(group, code) for code in ("MA1", "MA2", "MA3")]
    session = make_session(group, 1)
    db.session.commit()
    context = browser.new_context(viewport=TABLET, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "anna@kring.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.goto(f"{live_server}/staff/sessions/{session.id}/attendance")
    rows = page.locator("fieldset.attendee")
    assert rows.count() == 3
    box = rows.nth(1).get_by_text("Afwezig").bounding_box()
    assert min(box["height"], box["width"]) >= 44  # a finger-sized target
    assert page.locator("input[type=radio]:checked").count() == 0  # nothing filled in for her
    assert rows.nth(0).get_by_text("Nog niet vastgelegd").is_visible()
    for row, status in ((0, "Aanwezig"), (1, "Afwezig"), (2, "Aanwezig")):
        rows.nth(row).get_by_text(status, exact=True).tap()
    page.screenshot(path=str(artifacts / "attendance-tablet.png"), full_page=True)
    violations = serious_violations(page)
    page.get_by_role("button", name="Opslaan", exact=True).tap()
    page.wait_for_url("**/sessions")
    assert "Aanwezigheid van sessie 1 opgeslagen" in page.content()
    context.close()
    assert violations == []
    db.session.expire_all()
    stored = dict(db.session.execute(sa.select(Attendance.membership_id, Attendance.status)).all())
    assert stored == {
        members[0].id: AttendanceStatus.PRESENT,
        members[1].id: AttendanceStatus.ABSENT,
        members[2].id: AttendanceStatus.PRESENT,
    }
    assert db.session.get(GroupSession, session.id).status == SessionStatus.HELD

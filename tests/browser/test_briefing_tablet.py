"""Before and after a session on a tablet, end to end in Chromium: the therapist opens the
briefing from the sessions list, reads the flags most urgent first, goes to the wrap-up, taps who
was absent, chooses what was done about each flag, and the flags end acknowledged with exactly
those actions. Screenshots of both screens are saved; neither has serious accessibility
violations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.models import (
    Attendance,
    AttendanceStatus,
    Flag,
    FlagAction,
    FlagKind,
    Severity,
    utcnow,
)
from tests.browser.conftest import serious_violations
from tests.factories import make_group, make_member, make_session
from tests.personas import PASSWORD, cast

TABLET = {"width": 820, "height": 1180}


def test_a_therapist_reads_the_briefing_and_wraps_up_on_a_tablet(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    team = cast()
    group = make_group("GB", therapists=(team.anna,), name="Groep B")
    members = [make_member(group, code) for code in ("MB1", "MB2", "MB3", "MB4")]
    make_session(group, 1, utcnow() - timedelta(weeks=1))
    session = make_session(group, 2, utcnow() - timedelta(minutes=5))  # it has just ended
    flags = {
        kind: Flag(
            group_id=group.id,
            membership_id=member.id,
            kind=kind,
            severity=severity,
            reasons=[{"code": "dropout_absent_now"}],
            suggested_action="contact",
            raised_session=1,
            last_session=1,
        )
        for kind, severity, member in (
            (FlagKind.DROPOUT_RISK, Severity.MEDIUM, members[1]),
            (FlagKind.CRITICAL_ITEM, Severity.CRITICAL, members[2]),
        )
    }
    db.session.add_all(flags.values())
    db.session.commit()
    context = browser.new_context(viewport=TABLET, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "anna@kring.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.goto(f"{live_server}/staff/groups/{group.id}/sessions")
    page.locator(f"a[href$='/sessions/{session.id}/briefing']").first.tap()
    page.wait_for_url(f"**/sessions/{session.id}/briefing")
    shown = page.locator("ul.flags li.flag").all_inner_texts()
    assert [("Kritiek antwoord" in t, "Risico op uitval" in t) for t in shown] == [
        (True, False),
        (False, True),
    ]
    page.screenshot(path=str(artifacts / "briefing-tablet.png"), full_page=True)
    briefing_violations = serious_violations(page)
    page.get_by_role("link", name="Afronden na de sessie").tap()
    page.wait_for_url(f"**/sessions/{session.id}/wrap-up")
    for member in members:
        status = "Afwezig" if member.client.code == "MB2" else "Aanwezig"
        page.locator("fieldset.attendee", has_text=member.client.code).get_by_text(
            status, exact=True
        ).tap()
    critical = flags[FlagKind.CRITICAL_ITEM].id
    dropout = flags[FlagKind.DROPOUT_RISK].id
    page.select_option(f"select[name=action-{critical}]", "discussed_one_to_one")
    page.fill(f"textarea[name=note-{critical}]", "Veiligheidsplan besproken.")
    page.select_option(f"select[name=action-{dropout}]", "contact")
    page.screenshot(path=str(artifacts / "wrap-up-tablet.png"), full_page=True)
    wrap_up_violations = serious_violations(page)
    page.get_by_role("button", name="Vastleggen").tap()
    page.wait_for_url(f"**/groups/{group.id}/sessions")
    assert "Sessie 2 afgerond en vastgelegd." in page.content()
    context.close()
    assert briefing_violations == []
    assert wrap_up_violations == []
    db.session.expire_all()
    stored = {f.kind: (f.action, f.note) for f in db.session.scalars(sa.select(Flag))}
    assert stored == {
        FlagKind.CRITICAL_ITEM: (FlagAction.DISCUSSED_ONE_TO_ONE, "Veiligheidsplan besproken."),
        FlagKind.DROPOUT_RISK: (FlagAction.CONTACT, None),
    }
    attendance = dict(
        db.session.execute(
            sa.select(Attendance.membership_id, Attendance.status).where(
                Attendance.session_id == session.id
            )
        ).all()
    )
    assert attendance == {
        m.id: AttendanceStatus.ABSENT if m.client.code == "MB2" else AttendanceStatus.PRESENT
        for m in members
    }

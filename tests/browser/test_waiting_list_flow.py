"""The waiting list end to end in Chromium: a therapist refers a client and sends the intake
questionnaire, which arrives at a real SMTP server and is answered on a phone; the therapist
records that the client is suitable, sees the slow-open group they fit with its composition,
places them, and the client's first questionnaire is planned with its message waiting in the
outbox. Screenshots of every screen; none has serious accessibility violations."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from rom.clock import organisation_today
from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import (
    Client,
    Invitation,
    Membership,
    OutboxMessage,
    Referral,
    ReferralStatus,
    utcnow,
)
from tests.browser.conftest import serious_violations
from tests.factories import make_group, make_member, make_session
from tests.jobs.conftest import Mailbox, free_port
from tests.personas import PASSWORD, cast

SCREEN = {"width": 1180, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_refer_judge_and_place_a_client_in_a_slow_open_group(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    mailbox = Mailbox(free_port())
    mailbox.start()
    sqlite_only.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none")
    try:
        _the_whole_way(sqlite_only, live_server, browser, artifacts, mailbox)
    finally:
        sqlite_only.config.update(SMTP_HOST="")
        mailbox.stop()


def _the_whole_way(
    app: Flask, live_server: str, browser, artifacts: Path, mailbox: Mailbox
) -> None:
    team = cast()
    next_session = (utcnow() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    group = make_group(
        "GW",
        therapists=(team.anna,),
        name="Vaardigheden doorlopend",
        format="slow_open",
        intended_size=4,
        weekday=next_session.weekday(),
        start_time=time(10, 0),
    )
    make_session(group, 1, next_session)
    for code in ("M1", "M2"):
        make_member(group, code)
    db.session.commit()
    slot = f"{next_session.weekday()}:morning"
    context = browser.new_context(viewport=SCREEN, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "anna@kring.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    violations = []

    page.get_by_role("link", name="Wachtlijst").click()
    page.get_by_role("link", name="Nieuwe verwijzing").click()
    page.fill("input[name=code]", "W777")
    page.fill("input[name=first_name]", "Noor")
    page.fill("input[name=email]", "noor@example.org")
    page.select_option("select[name=language]", "nl")
    page.select_option("select[name=kind]", "skills")
    page.check(f"input[name=availability][value='{slot}']")
    page.fill("input[name=referrer]", "Huisarts De Boer")
    page.fill("input[name=referred_on]", (organisation_today() - timedelta(days=40)).isoformat())
    page.screenshot(path=str(artifacts / "1-referral.png"), full_page=True)
    violations += serious_violations(page)
    page.get_by_role("button", name="Op de wachtlijst zetten").click()
    page.wait_for_url("**/referrals/*")
    assert "W777 staat op de wachtlijst." in page.content()
    page.get_by_role("button", name="Intakevragenlijst sturen").click()
    assert "De intakevragenlijst is verstuurd." in page.content()
    deliver_due(configured_senders(app.config))
    [mail] = mailbox.messages
    assert mail["To"] == "noor@example.org"
    link = re.search(r"http\S+/q/\S+", mail.get_payload(decode=True).decode()).group(0)
    phone = browser.new_context(viewport=PHONE, bypass_csp=True)
    screen = phone.new_page()
    screen.goto(link.replace(app.config["BASE_URL"], live_server))
    assert "Uw aanmelding voor behandeling in een groep" in screen.content()
    screen.screenshot(path=str(artifacts / "1b-intake-on-the-phone.png"), full_page=True)
    violations += serious_violations(screen)
    for items, value, button in ((9, 2, "next"), (7, 2, "next"), (9, 3, "submit")):
        for item in range(1, items + 1):
            answer = 0 if (items, item) == (9, 9) and button == "next" else value
            screen.check(f'input[name="item-{item}"][value="{answer}"]')
        screen.click(f"button[value={button}]")
    assert "Dank u wel!" in screen.content()
    phone.close()
    page.reload()
    assert "PHQ-9 16 · GAD-7 14" in page.content()

    for name, rating in (
        ("motivation", "sufficient"),
        ("reflection", "sufficient"),
        ("social_functioning", "doubtful"),
        ("language_and_cognition", "sufficient"),
    ):
        page.select_option(f"select[name={name}]", rating)
    page.select_option("select[name=decision]", "suitable")
    page.fill("textarea[name=reason]", "Gemotiveerd; de groep sluit aan bij de hulpvraag.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    page.wait_for_load_state()
    assert "Vaardigheden doorlopend" in page.content()
    page.screenshot(path=str(artifacts / "2-judged-with-options.png"), full_page=True)
    violations += serious_violations(page)

    page.goto(f"{live_server}/staff/groups/{group.id}/candidates")
    page.get_by_role("link", name="Bekijk de samenstelling").first.click()
    proposed = page.locator("tr.selected", has_text="W777 (voorgesteld)").inner_text()
    assert "16" in proposed  # PHQ-9 of the intake
    assert "2,8" in proposed  # readiness: eight 3s and item 6 answered 3 (reversed: 1)
    assert "De groep zou 3 leden hebben, minder dan het minimum van 4." in page.content()
    page.screenshot(path=str(artifacts / "3-candidates-and-composition.png"), full_page=True)
    violations += serious_violations(page)
    page.get_by_role("button", name="W777 plaatsen in deze groep").click()
    page.wait_for_url(f"**/groups/{group.id}")
    assert "W777 is geplaatst in Vaardigheden doorlopend vanaf sessie 1" in page.content()
    page.screenshot(path=str(artifacts / "4-placed.png"), full_page=True)
    context.close()

    assert violations == []
    db.session.expire_all()
    membership = db.session.scalar(sa.select(Membership).join(Client).where(Client.code == "W777"))
    assert membership.group_id == group.id
    referral = db.session.scalar(sa.select(Referral))
    assert referral.status == ReferralStatus.PLACED
    invitation = db.session.scalar(
        sa.select(Invitation).where(Invitation.membership_id == membership.id)
    )
    assert invitation is not None  # the first session's questionnaire is planned
    waiting = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.invitation_id == invitation.id)
    )
    assert waiting >= 1

"""An organisation's first day in Chromium, from an empty database: `flask rom staff add` makes
the first administrator, whose link leads to a password and a second factor; the set-up
checklist leads to inviting a therapist, whose invitation arrives at a real SMTP server; the
therapist sets a password and a second factor, creates a group and enrols a client with an
e-mail address; and the client receives a questionnaire link. Screenshots of every screen at
desktop and phone sizes; none has serious accessibility violations."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pyotp
import sqlalchemy as sa
from flask import Flask

from rom.clock import organisation_today
from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import GroupSession
from rom.services.planning import plan_invitations
from tests.browser.conftest import serious_violations
from tests.jobs.conftest import Mailbox, free_port

SCREEN = {"width": 1180, "height": 900}
PHONE = {"width": 390, "height": 844}


def test_from_an_empty_database_to_a_clients_first_questionnaire(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    mailbox = Mailbox(free_port())
    mailbox.start()
    sqlite_only.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=mailbox.port,
        SMTP_SECURITY="none",
        REQUIRE_SECOND_FACTOR=True,
    )
    try:
        _first_day(sqlite_only, live_server, browser, artifacts, mailbox)
    finally:
        sqlite_only.config.update(SMTP_HOST="", REQUIRE_SECOND_FACTOR=False)
        mailbox.stop()


def _on_live(link: str, app: Flask, live_server: str) -> str:
    return link.replace(app.config["BASE_URL"], live_server)


def _password_and_second_factor(page, password: str, artifacts: Path, name: str) -> list[str]:
    violations = serious_violations(page)
    page.screenshot(path=str(artifacts / f"{name}-1-password.png"), full_page=True)
    page.fill("input[name=password]", password)
    page.fill("input[name=repeat]", password)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.wait_for_url("**/login/enrol")
    secret = re.search(r'class="secret">([A-Z2-7]+)<', page.content()).group(1)
    page.screenshot(path=str(artifacts / f"{name}-2-second-factor.png"), full_page=True)
    violations += serious_violations(page)
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state()
    assert page.content().count("<li><code>") == 8  # recovery codes, shown once
    page.get_by_role("link", name="Verder").click()
    return violations


def _first_day(app: Flask, live_server: str, browser, artifacts: Path, mailbox: Mailbox) -> None:
    made = app.test_cli_runner().invoke(
        args=["rom", "staff", "add", "beheer@kliniek.test", "--role", "admin", "--name", "Bea"]
    )
    assert made.exit_code == 0, made.output
    link = re.search(r"http\S+/staff/account/\S+", made.output).group(0)
    desk = browser.new_context(viewport=SCREEN, bypass_csp=True, locale="nl-NL")
    page = desk.new_page()
    page.goto(_on_live(link, app, live_server))
    violations = _password_and_second_factor(page, "de eerste dag van de kliniek", artifacts, "1")

    page.wait_for_url("**/staff/setup")
    assert page.get_by_role("heading", name="Uw organisatie inrichten").is_visible()
    page.screenshot(path=str(artifacts / "2-checklist.png"), full_page=True)
    violations += serious_violations(page)
    page.get_by_role("link", name="Behandelaars uitnodigen").click()
    page.fill("input[name=name]", "Tom de Vries")
    page.fill("input[name=email]", "tom@kliniek.test")
    page.get_by_label("behandelaar").check()
    page.get_by_role("button", name="Uitnodigen").click()
    page.wait_for_load_state()
    assert "Tom de Vries is uitgenodigd" in page.content()
    page.goto(f"{live_server}/staff/setup")
    assert "✓" in page.inner_text("ol.checklist li:first-child")
    desk.close()

    with app.app_context():
        deliver_due(configured_senders(app.config))
    [invitation] = mailbox.messages
    assert invitation["To"] == "tom@kliniek.test"
    link = re.search(r"http\S+/staff/account/\S+", invitation.get_payload()).group(0)
    tablet = browser.new_context(viewport=SCREEN, bypass_csp=True, locale="nl-NL")
    page = tablet.new_page()
    page.goto(_on_live(link, app, live_server))
    violations += _password_and_second_factor(page, "koffie met Tom in de tuin", artifacts, "3")

    page.wait_for_url("**/staff/flags")
    page.get_by_role("link", name="Groepen").first.click()
    page.get_by_role("link", name="Nieuwe groep").click()
    tomorrow = organisation_today() + timedelta(days=1)
    page.fill("input[name=code]", "G1")
    page.fill("input[name=name]", "Vaardigheden dinsdag")
    page.select_option("select[name=kind]", "skills")
    page.select_option("select[name=format]", "closed")
    page.fill("input[name=planned_sessions]", "12")
    page.fill("input[name=start_date]", tomorrow.isoformat())
    page.fill("input[name=start_time]", "10:00")
    page.screenshot(path=str(artifacts / "4-new-group.png"), full_page=True)
    violations += serious_violations(page)
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_role("link", name="Nieuw lid").click()
    page.fill("input[name=code]", "C0001")
    page.fill("input[name=first_name]", "Noor")
    page.fill("input[name=email]", "noor@example.org")
    page.screenshot(path=str(artifacts / "5-enrol.png"), full_page=True)
    violations += serious_violations(page)
    page.get_by_role("button", name="Inschrijven").click()
    page.wait_for_load_state()
    assert "C0001 is lid vanaf sessie 1." in page.content()
    page.screenshot(path=str(artifacts / "6-roster.png"), full_page=True)
    tablet.close()

    with app.app_context():
        assert plan_invitations() == 1
        first = db.session.scalar(sa.select(sa.func.min(GroupSession.planned_start)))
        deliver_due(configured_senders(app.config), first + timedelta(hours=3))  # after it
    questionnaire = mailbox.messages[-1]
    assert questionnaire["To"] == "noor@example.org"
    link = re.search(r"http\S+/q/\S+", questionnaire.get_payload(decode=True).decode()).group(0)
    phone = browser.new_context(viewport=PHONE, bypass_csp=True, locale="nl-NL")
    screen = phone.new_page()
    screen.goto(_on_live(link, app, live_server))
    assert "Vaardigheden dinsdag" in screen.content()
    screen.screenshot(path=str(artifacts / "7-questionnaire-on-the-phone.png"), full_page=True)
    phone.close()
    assert violations == []

"""A member answers on a phone in a real browser: resumes, is told about gaps, submits once,
and after a critical answer sees where to get help. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.models import Flag, OutboxMessage, Response
from tests.browser.conftest import phone_context, serious_violations
from tests.factories import make_group, make_invitation, make_member, make_session, make_therapist

pytestmark = pytest.mark.browser


def new_link(app: Flask, language: str = "nl") -> str:
    group = make_group(therapists=(make_therapist(),))
    member = make_member(group, language=language)
    make_session(group, 1)
    second = make_session(group, 2)
    _, token = make_invitation(member, second)  # session 2: symptoms, climate and cohesion
    db.session.commit()
    return token


def press(page: object, value: str) -> None:
    """Press a form button and wait for the page it leads to (a slow machine may not have
    loaded it yet when the next line reads it)."""
    with page.expect_navigation():
        page.click(f"button[value={value}]")


def answer_all(page: object, count: int, value: int, skip: tuple[int, ...] = ()) -> None:
    for item in range(1, count + 1):
        if item not in skip:
            page.check(f'input[name="item-{item}"][value="{value}"]')


def test_answer_leave_return_gaps_submit_once(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    token = new_link(sqlite_only)
    context = phone_context(browser)
    page = context.new_page()
    page.goto(f"{live_server}/q/{token}")
    assert page.locator("h1").inner_text() == "PHQ-9 (klachten van somberheid)"
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "1-phq9-nl.png", full_page=True)
    answer_all(page, 9, 1)
    page.check('input[name="item-9"][value="0"]')
    press(page, "next")
    assert "Vragenlijst 2 van 4" in page.content()
    context.close()  # the member closes the browser on the bus

    page = phone_context(browser).new_page()
    page.goto(f"{live_server}/q/{token}")
    assert "Vragenlijst 2 van 4" in page.content()  # continues where they left off
    answer_all(page, 7, 1)
    press(page, "next")
    answer_all(page, 12, 4, skip=(5,))
    press(page, "next")
    page.goto(f"{live_server}/q/{token}?page=4&lang=en")
    answer_all(page, 7, 5)
    page.screenshot(path=artifacts / "2-cohesion-en.png", full_page=True)
    press(page, "submit")
    assert "Not everything has been answered yet" in page.content()
    assert "question 5" in page.content()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "3-gaps-en.png", full_page=True)
    page.click("text=Go to")
    page.check('input[name="item-5"][value="3"]')
    press(page, "next")
    press(page, "submit")
    assert page.locator("h1").inner_text() == "Thank you!"
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "4-thanks-en.png", full_page=True)
    page.go_back()  # pages are not cached (no-store): going back asks the server again
    assert "Already sent" in page.content()
    assert page.locator("button[value=submit]").count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 4


def test_critical_answer_shows_help_first(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    token = new_link(sqlite_only)
    page = phone_context(browser).new_page()
    page.goto(f"{live_server}/q/{token}")
    answer_all(page, 9, 1)
    page.check('input[name="item-9"][value="2"]')
    for count, value in ((9, None), (7, 1), (12, 3)):
        if value is not None:
            answer_all(page, count, value)
        press(page, "next")
    answer_all(page, 7, 4)
    press(page, "submit")
    assert page.locator("h1").inner_text() == "Als het nu niet goed met u gaat"
    assert "0800-0113" in page.content()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "help-nl.png", full_page=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Flag)).kind.value == "critical_item"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_unknown_link_page_is_accessible_in_the_phones_language(
    live_server: str, browser, artifacts: Path
) -> None:
    page = phone_context(browser, locale="en-GB").new_page()
    page.goto(f"{live_server}/q/nothing-here")
    assert page.locator("h1").inner_text() == "This link does not work"
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "unknown-link-en.png")
    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("h1").inner_text() == "Deze link werkt niet"
    assert "This link" not in page.content()
    assert serious_violations(page) == []
    page.screenshot(path=artifacts / "unknown-link-nl.png")

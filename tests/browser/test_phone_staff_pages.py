"""A therapist on a phone (390 px) reads every listing: a wide table scrolls in its own box,
reachable by keyboard, and the page itself never scrolls sideways (the groups table pushed the
whole page to 728 px)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask

from rom.extensions import db
from rom.models import utcnow
from tests.browser.conftest import serious_violations
from tests.factories import make_group, make_member, make_session
from tests.personas import PASSWORD, cast

PHONE = {"width": 390, "height": 844}


def test_listings_fit_a_phone_and_their_tables_scroll_on_their_own(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path
) -> None:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Psychotherapiegroep Oost")
    make_group("GB", therapists=(team.anna,), name="Vaardighedentraining West")
    member = make_member(group, "MA1")
    make_session(group, 1, utcnow() - timedelta(weeks=1))
    make_session(group, 2, utcnow() + timedelta(days=6))
    db.session.commit()
    page = browser.new_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "anna@kring.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/**")
    for path in ("/staff/groups", f"/staff/groups/{group.id}", f"/staff/members/{member.id}"):
        page.goto(f"{live_server}{path}")
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(artifacts / f"{name}-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} scrolls sideways: {width} px"
        assert serious_violations(page) == []
    page.goto(f"{live_server}/staff/groups")
    box = page.locator(".scroll-x").first
    assert box.get_attribute("tabindex") == "0"
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table is wider: it scrolls
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(  # the browser animates keyboard scrolling
        "() => document.querySelector('.scroll-x').scrollLeft > 0", timeout=5000
    )

"""Every dashboard of the demo, opened in headless Chromium as the role it is for: every graph
draws, the browser console and the Dash callbacks report no error; screenshots are saved in
test-artifacts/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask

from rom.clock import organisation_today
from rom.extensions import db
from rom.services.demo import DEMO_PASSWORD, create_demo
from tests.browser.conftest import ARGS  # noqa: F401  (the same Chromium settings)

TABLET = {"width": 1180, "height": 820}


def wait_for_graphs(page: object, count: int, seconds: float = 20) -> None:
    """Until `count` graphs have drawn. Polled with locators: the dashboards' CSP forbids the
    eval that page.wait_for_function would need."""
    deadline = time.monotonic() + seconds
    while page.locator(".js-plotly-plot .main-svg").count() < count:
        assert time.monotonic() < deadline, "the graphs did not draw"
        page.wait_for_timeout(100)


@pytest.fixture
def demo(sqlite_only: Flask) -> None:
    create_demo(organisation_today())
    db.session.commit()


@pytest.mark.parametrize(
    ("who", "path", "graphs"),
    [
        ("anna@demo.kring.nl", "/dash/group/", 4),
        ("anna@demo.kring.nl", "/dash/caseload/", 1),
        ("mila@demo.kring.nl", "/dash/management/", 4),
    ],
)
def test_each_dashboard_draws_every_graph_without_errors(
    demo, live_server: str, browser, artifacts: Path, who: str, path: str, graphs: int
) -> None:
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", who)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.goto(f"{live_server}{path}")
    wait_for_graphs(page, graphs)
    page.wait_for_load_state("networkidle")
    drawn = page.locator(".js-plotly-plot").count()
    titles = page.locator(".js-plotly-plot .gtitle").all_text_contents()
    text = page.inner_text("body")
    page.screenshot(
        path=str(artifacts / f"{path.strip('/').replace('/', '-')}.png"), full_page=True
    )
    context.close()
    assert problems == []
    assert drawn == graphs
    assert len([t for t in titles if t.strip()]) == graphs  # every chart has a title
    if path == "/dash/management/":  # the demo's twelve referrals are on the waiting list
        assert "Wachtend aan het einde van de periode\t12" in text


def test_selecting_a_member_highlights_them_everywhere(
    demo, live_server: str, browser, artifacts: Path
) -> None:
    context = browser.new_context(viewport=TABLET)
    page = context.new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "anna@demo.kring.nl")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.goto(f"{live_server}/dash/group/")
    wait_for_graphs(page, 4)
    page.click("#member-select")
    page.get_by_role("option").first.click()
    page.locator("#group-trajectories .legendtext", has_text="Verwacht").wait_for(timeout=20_000)
    legend = page.locator("#group-trajectories .legendtext").all_text_contents()
    outlined = page.locator("#group-overview .shapelayer path").count()
    report = page.locator("#group-report").get_attribute("href")
    page.screenshot(path=str(artifacts / "group-selected.png"), full_page=True)
    context.close()
    assert any("Verwacht verloop" in text for text in legend)  # the member's expected band
    assert outlined >= 1  # their row in the overview is outlined
    assert report.startswith("/staff/groups/")
    assert report.endswith("/report.pdf")

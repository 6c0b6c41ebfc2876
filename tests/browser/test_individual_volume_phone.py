"""A manager on a phone (390 px) enters the organisation's individual treatment volume: the page
fits without sideways scrolling, passes axe, and a bad file's line is named beside the field."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from rom.extensions import db
from rom.models import VolumeSource
from rom.services.individual_volumes import individual_volumes, record_individual_volume
from tests.browser.conftest import PHONE, phone_context, serious_violations
from tests.personas import PASSWORD, cast


def test_a_manager_sets_a_year_and_imports_a_file_on_a_phone(
    sqlite_only: Flask, live_server: str, browser, artifacts: Path, tmp_path: Path
) -> None:
    team = cast()
    record_individual_volume(2024, 1_234_567, team.mila, VolumeSource.FORM)
    db.session.commit()
    page = phone_context(browser).new_page()
    page.goto(f"{live_server}/staff/login")
    page.fill("input[name=email]", "mila@kring.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/**")
    page.goto(f"{live_server}/staff/reports")
    page.click("text=Individuele behandelingen per jaar")
    page.fill("input[name=year]", "2025")
    page.fill("input[name=sessions]", "41250")
    page.click("button:has-text('Vastleggen')")
    page.wait_for_selector("text=2025 is vastgelegd.")
    bad = tmp_path / "volumes.csv"
    bad.write_text("jaar,contacten\n2026,43000\n2026,44000\n", encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('Inlezen')")
    page.wait_for_selector("text=Regel 3: 2026 staat ook op regel 2.")
    page.screenshot(path=str(artifacts / "individual-volume-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px"
    assert serious_violations(page) == []
    assert individual_volumes() == {2024: 1_234_567, 2025: 41_250}

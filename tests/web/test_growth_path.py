"""The insurer's page, "Groeipad groepsbehandeling" (issue #29): one page, a year against the
baseline year, the group share computed from what the organisation entered, quality in words,
aggregates only; for managers and admins, audited; a bad year is refused and nothing exported."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AuditEvent, StaffUser
from rom.services.individual_volumes import record_individual_volume
from rom.services.report_requests import prepare_requested_reports
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort
from tests.personas import cast
from tests.prepared_reports import ask_for_report, prepared_report
from tests.staff_session import log_in
from tests.web.pdfs import pages_rendered, text_of

TODAY = datetime(2026, 12, 1, 11, 0)
INDIVIDUAL = {2025: 4000, 2026: 4100}


@pytest.fixture
def organisation(app: Flask, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """Groups from early 2025 to autumn 2026, the organisation's individual contacts entered."""
    bundle = import_cohort(
        CohortSpec(
            groups=10,
            seed=29,
            first_start=date(2025, 1, 6),
            last_start=date(2026, 6, 1),
            until=date(2026, 11, 30),
        ),
        tmp_path / "bundle",
    )
    team = cast()
    for year, sessions in INDIVIDUAL.items():
        record_individual_volume(year, sessions, team.mila, "form")
    db.session.commit()
    return bundle.frames()


def _volume(tables: dict[str, pd.DataFrame], year: int) -> int:
    """Attended member-sessions in a calendar year, counted here from the raw bundle."""
    sessions = tables["sessions"]
    held = sessions[
        (sessions["held"].astype(str).str.lower() == "true")
        & (pd.to_datetime(sessions["date"]).dt.year == year)
    ]
    present = tables["attendance"][tables["attendance"]["status"] == "present"]
    return len(present.merge(held[["group_id", "session_no"]], on=["group_id", "session_no"]))


def _exports() -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()


def test_the_manager_gets_one_page_with_volume_share_and_quality_kept_in_words(
    client: FlaskClient, organisation, tmp_path: Path
) -> None:
    with time_machine.travel(TODAY, tick=False):
        log_in(client, "mila@kring.test")
        response = prepared_report(client, "growth_path", {"year": "2026"})
    assert response.status_code == 200
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="kring-groeipad-2026.pdf"'
    )
    text = text_of(response.data, tmp_path)
    flat = " ".join(text.split())
    assert "Groeipad groepsbehandeling" in text
    assert pages_rendered(response.data, tmp_path) == 1
    before, now = _volume(organisation, 2025), _volume(organisation, 2026)
    assert min(before, now) > 0, "a cohort worth testing"
    share_then = before / (before + INDIVIDUAL[2025])
    annualised = now * 365 / ((TODAY.date() - date(2026, 1, 1)).days + 1)
    share_now = annualised / (annualised + INDIVIDUAL[2026])
    share_line = re.search(r"Aandeel groepsbehandeling\s+(\d+)%\s+(\d+)%", text)
    assert share_line is not None, text[:3000]
    assert [int(v) for v in share_line.groups()] == [
        round(share_then * 100),
        round(share_now * 100),
    ]
    dutch = [f"{count:,}".replace(",", ".") for count in (before, now)]  # 1.026
    assert re.search(rf"bijgewoonde cliëntsessies\s+{dutch[0]}\s+{dutch[1]}\b", text)
    sentence = (
        r"2026 \(tot 1 december\): (\d+)% hersteld tegen (\d+)% verwacht bij deze instroom "
        r"\(verschil [+-]\d+%, 95%-interval [+-]\d+% tot [+-]\d+%\)[^:]*: "
        r"(kwaliteit behouden|kwaliteit gedaald|beter dan verwacht bij deze instroom)\."
    )
    assert re.search(sentence, flat), flat[:1500]
    assert "Zonder correctie voor de instroom" in flat
    members = set(organisation["members"]["member_id"])
    assert not [code for code in members if re.search(rf"\b{re.escape(code)}\b", text)]
    assert [e.subject_type for e in _exports()] == ["growth_path_report"]


def test_the_page_speaks_english_to_an_english_reader(
    client: FlaskClient, organisation, tmp_path: Path
) -> None:
    manager = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "mila@kring.test"))
    manager.language = "en"
    db.session.commit()
    with time_machine.travel(TODAY, tick=False):
        log_in(client, "mila@kring.test")
        response = prepared_report(client, "growth_path", {"year": "2026"})
    flat = " ".join(text_of(response.data, tmp_path).split())
    assert "Growth path for group treatment" in flat
    assert "recovered against" in flat
    for dutch in ("hersteld", "verwacht", "Aandeel", "Gemeten", "behouden", "Methode"):
        assert dutch not in flat


@pytest.mark.parametrize("year", ["2025", "2027", "twee", ""])
def test_a_year_outside_the_growth_path_is_refused_and_nothing_exported(
    client: FlaskClient, year: str
) -> None:
    cast()
    with time_machine.travel(TODAY, tick=False):
        log_in(client, "mila@kring.test")
        response = ask_for_report(client, "growth_path", {"year": year})
        assert prepare_requested_reports() == 0
    assert response.status_code == 422
    assert "Kies een jaar na het basisjaar 2025" in response.get_data(as_text=True)
    assert _exports() == []


@pytest.mark.parametrize(("who", "status"), [("anna@kring.test", 403), ("ad@kring.test", 200)])
def test_only_managers_and_admins_download_the_growth_path(
    client: FlaskClient, who: str, status: int
) -> None:
    cast()
    with time_machine.travel(TODAY, tick=False):
        log_in(client, who)
        if status == 200:
            response = prepared_report(client, "growth_path", {"year": "2026"})
        else:
            response = ask_for_report(client, "growth_path", {"year": "2026"})
    assert response.status_code == status
    assert len(_exports()) == (1 if status == 200 else 0)


def test_the_reports_page_offers_each_year_after_the_baseline(client: FlaskClient) -> None:
    cast()
    with time_machine.travel(TODAY, tick=False):
        log_in(client, "mila@kring.test")
        page = client.get("/staff/reports").get_data(as_text=True)
    assert 'action="/staff/reports/growth-path"' in page
    assert re.findall(r'<option value="(\d+)">', page) == ["2026"]

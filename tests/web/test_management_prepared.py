"""The management dashboard's usual periods are prepared hourly by the scheduler: a prepared
period is shown as stored (with the hour it was computed), a stale one or any other period is
computed when asked, and what is stored reads back as the very summary that was computed."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask_login import login_user

from dashboards.management.callbacks import show_organisation
from rom.extensions import db
from rom.frames import organisation_inputs, waiting_inputs
from rom.instruments import phq9_total
from rom.models import PreparedFigures
from rom.reports.summary import (
    Period,
    organisation_summary,
    summary_as_record,
    summary_from_record,
)
from rom.reports.waiting import WaitingFigures
from rom.services.management_figures import prepare_management_figures
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort
from tests.personas import Cast, cast

NOW = datetime(2026, 12, 1, 10, 0)  # 11:00 in Amsterdam
THIS_YEAR = ("2026-01-01", "2026-12-01")  # the dashboard's first view on that day
MARKED = 987_654  # a volume no cohort here reaches


@pytest.fixture
def organisation(app: Flask, tmp_path: Path) -> Cast:
    import_cohort(
        CohortSpec(groups=6, seed=41, first_start=date(2025, 2, 3), until=date(2026, 11, 30)),
        tmp_path / "bundle",
    )
    team = cast()
    db.session.commit()
    return team


def _shown(app: Flask, team: Cast, period: tuple[str, str]) -> str:
    with app.test_request_context():
        login_user(team.mila)
        table = show_organisation(*period, "?baseline=2025&by=kind")[0]
    return json.dumps(table.to_plotly_json(), default=str)


def test_what_is_stored_reads_back_as_the_summary_computed(organisation: Cast) -> None:
    period = Period(date(2025, 7, 1), date(2026, 6, 30))
    summary = organisation_summary(organisation_inputs(period, 2025), period, phq9_total(), 2025)
    assert summary.total.volume > 0
    assert summary_from_record(json.loads(json.dumps(summary_as_record(summary)))) == summary


def test_each_prepared_period_holds_what_reading_that_period_gives(
    app: Flask, organisation: Cast
) -> None:
    with time_machine.travel(NOW, tick=False):
        prepare_management_figures()
        rows = db.session.scalars(sa.select(PreparedFigures)).all()
        assert len(rows) == 4
        for row in rows:
            period = Period(row.starts_on, row.ends_on)
            inputs = organisation_inputs(period, 2025)
            summary = organisation_summary(inputs, period, phq9_total(), 2025)
            assert summary_from_record(row.summary) == summary
            waiting = waiting_inputs(inputs, period, NOW.date())
            assert WaitingFigures.from_record(row.waiting) == waiting


def test_a_prepared_period_is_shown_as_stored_and_a_stale_one_computed(
    app: Flask, organisation: Cast
) -> None:
    with time_machine.travel(NOW, tick=False):
        assert prepare_management_figures() == 4  # two quarters and two years
        live = _shown(app, organisation, THIS_YEAR)
        stored = db.session.scalar(
            sa.select(PreparedFigures).where(PreparedFigures.starts_on == date(2026, 1, 1))
        )
        stored.summary = {**stored.summary, "total": {**stored.summary["total"], "volume": MARKED}}
        db.session.commit()
        shown = _shown(app, organisation, THIS_YEAR)
        assert str(MARKED) in shown
        assert "Cijfers van 11:00; elk uur bijgewerkt." in shown
        assert str(MARKED) not in _shown(app, organisation, ("2026-02-01", "2026-12-01"))
    assert "Cijfers van 11:00; elk uur bijgewerkt." in live
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        later = _shown(app, organisation, THIS_YEAR)
    assert str(MARKED) not in later  # stale: computed again
    assert "Cijfers van" not in later

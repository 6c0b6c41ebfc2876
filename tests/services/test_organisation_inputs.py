"""An organisation-wide report reads the groups that met in its period and in the baseline year,
not the whole history, and its figures are those read from every group."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from rom.frames import organisation_inputs, report_inputs, waiting_inputs
from rom.instruments import phq9_total
from rom.reports.summary import Period, organisation_summary
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort

BASELINE_YEAR = 2025
TODAY = date(2026, 11, 30)


@pytest.fixture
def history(app: Flask, tmp_path: Path) -> None:
    """Groups from 2021 to 2026: the early ones ended long before the baseline year."""
    import_cohort(
        CohortSpec(
            groups=14,
            seed=53,
            first_start=date(2021, 3, 1),
            last_start=date(2026, 6, 1),
            until=TODAY,
        ),
        tmp_path / "bundle",
    )


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2026, 1, 1), date(2026, 6, 30)),
        Period(date(2026, 4, 1), date(2026, 11, 30)),
        Period(date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_the_period_reads_fewer_groups_and_says_the_same(history: None, period: Period) -> None:
    scale = phq9_total()
    everything, some = report_inputs(), organisation_inputs(period, BASELINE_YEAR)
    read = some.sessions["group_id"].nunique()
    assert read < everything.sessions["group_id"].nunique()
    assert read > 0
    assert organisation_summary(some, period, scale, BASELINE_YEAR) == organisation_summary(
        everything, period, scale, BASELINE_YEAR
    )
    assert waiting_inputs(some, period, TODAY) == waiting_inputs(everything, period, TODAY)

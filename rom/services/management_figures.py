"""The management dashboard's figures for the usual periods (this quarter and this year so far,
the quarter and year before), prepared hourly against the organisation's baseline year: the
dashboard shows a prepared period at once and computes any other period when asked. One read of
the groups of all these periods serves them all."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import organisation_inputs, waiting_inputs
from rom.instruments import phq9_total
from rom.models import PreparedFigures, utcnow
from rom.reports.periods import presets
from rom.reports.summary import (
    OrganisationSummary,
    Period,
    organisation_summary,
    summary_as_record,
    summary_from_record,
)
from rom.reports.waiting import WaitingFigures

FRESH = timedelta(hours=2)  # prepared figures older than this are not shown (the job is hourly)


def prepare_management_figures(today: date | None = None) -> int:
    """Compute and store the usual periods' figures (replacing earlier ones) and commit: an edge
    of its own, run by the scheduler. Returns how many periods were prepared."""
    day = today or organisation_today()
    baseline_year = int(current_app.config["BASELINE_YEAR"])
    periods = sorted({Period(p.start, p.end) for p in presets(day)}, key=lambda p: p.start)
    everything = Period(periods[0].start, max(p.end for p in periods))
    inputs = organisation_inputs(everything, baseline_year)
    scale = phq9_total()
    db.session.execute(sa.delete(PreparedFigures))
    for period in periods:
        summary = organisation_summary(inputs, period, scale, baseline_year)
        db.session.add(
            PreparedFigures(
                starts_on=period.start,
                ends_on=period.end,
                baseline_year=baseline_year,
                summary=summary_as_record(summary),
                waiting=waiting_inputs(inputs, period, day).as_record(),
            )
        )
    db.session.commit()
    return len(periods)


def prepared_figures(
    period: Period, baseline_year: int
) -> tuple[OrganisationSummary, WaitingFigures, PreparedFigures] | None:
    """The period's prepared figures, while fresh; None when they must be computed."""
    stored = db.session.scalar(
        sa.select(PreparedFigures).where(
            PreparedFigures.starts_on == period.start,
            PreparedFigures.ends_on == period.end,
            PreparedFigures.baseline_year == baseline_year,
            PreparedFigures.prepared_at > utcnow() - FRESH,
        )
    )
    if stored is None:
        return None
    summary = summary_from_record(stored.summary)
    return summary, WaitingFigures.from_record(stored.waiting), stored

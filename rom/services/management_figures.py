"""The management dashboard's figures for the usual periods (this quarter and this year so far,
the quarter and year before), prepared hourly against the organisation's baseline year: the
dashboard shows a prepared period at once and computes any other period when asked. One read of
the groups of all these periods serves them all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import organisation_inputs, period_figures
from rom.models import PreparedFigures, utcnow
from rom.reports.periods import presets
from rom.reports.summary import (
    OrganisationSummary,
    Period,
    summary_as_record,
    summary_from_record,
)
from rom.reports.waiting import WaitingFigures


def prepare_management_figures(today: date | None = None) -> int:
    """Compute and store the usual periods' figures (replacing earlier ones) and commit: an edge
    of its own, run by the scheduler. Returns how many periods were prepared."""
    day = today or organisation_today()
    baseline_year = int(current_app.config["BASELINE_YEAR"])
    periods = sorted({Period(p.start, p.end) for p in presets(day)}, key=lambda p: p.start)
    everything = Period(periods[0].start, max(p.end for p in periods))
    inputs = organisation_inputs(everything, baseline_year)
    prepared = []
    for period in periods:
        summary, waiting = period_figures(inputs, period, baseline_year, day)
        prepared.append(
            PreparedFigures(
                starts_on=period.start,
                ends_on=period.end,
                baseline_year=baseline_year,
                summary=summary_as_record(summary),
                waiting=waiting.as_record(),
            )
        )
    db.session.rollback()  # the reads end here: the write below is short
    db.session.execute(sa.delete(PreparedFigures))
    db.session.add_all(prepared)
    db.session.commit()
    return len(prepared)


@dataclass(frozen=True)
class Prepared:
    summary: OrganisationSummary
    waiting: WaitingFigures
    at: datetime  # naive UTC


def prepared_figures(period: Period, baseline_year: int) -> Prepared | None:
    """The period's prepared figures while fresh (the job runs at least twice in that time);
    None when they must be computed."""
    fresh = timedelta(seconds=2 * float(current_app.config["SCHEDULER_FIGURES_SECONDS"]))
    stored = db.session.scalar(
        sa.select(PreparedFigures).where(
            PreparedFigures.starts_on == period.start,
            PreparedFigures.ends_on == period.end,
            PreparedFigures.baseline_year == baseline_year,
            PreparedFigures.prepared_at > utcnow() - fresh,
        )
    )
    if stored is None:
        return None
    try:
        summary = summary_from_record(stored.summary)
        waiting = WaitingFigures.from_record(stored.waiting)
    except (KeyError, TypeError):
        return None  # prepared by an earlier version of Kring: computed until the next run
    return Prepared(summary, waiting, stored.prepared_at)

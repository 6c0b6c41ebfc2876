"""The management dashboard's figures for the usual periods (this quarter and this year so far,
the quarter and year before) and its quality section, prepared hourly against the organisation's
baseline year: the dashboard shows a prepared period at once and computes any other period or
baseline when asked. One read of the groups of all these periods serves them all; the quality
section keeps each ended episode's outcome and chances and each group's response counts, so any
choice of groups is summed from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from flask import current_app

from rom.analytics.columns import GROUP
from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import growth_inputs, organisation_inputs, period_figures
from rom.instruments import phq9_total
from rom.models import PreparedFigures, PreparedQuality, utcnow
from rom.reports.growth_path import quality_years
from rom.reports.periods import presets
from rom.reports.quality import SUMMED, episode_sums, response_counts, scored_episodes
from rom.reports.summary import (
    OrganisationSummary,
    Period,
    summary_as_record,
    summary_from_record,
)
from rom.reports.waiting import WaitingFigures


def prepare_management_figures(today: date | None = None) -> int:
    """Compute and store the usual periods' figures and the quality section (replacing earlier
    ones) and commit: an edge of its own, run by the scheduler. Returns how many periods were
    prepared."""
    day = today or organisation_today()
    baseline_year = int(current_app.config["BASELINE_YEAR"])
    periods = _period_figures(day, baseline_year)
    _replace(PreparedFigures, periods)
    _replace(PreparedQuality, [_quality(day, baseline_year)])  # the figures stay if this fails
    return len(periods)


def _replace(model: type[PreparedFigures] | type[PreparedQuality], rows: list) -> None:
    """Store the rows in place of the model's earlier ones, ending the reads before them (the
    write is short)."""
    db.session.rollback()
    db.session.execute(sa.delete(model))
    db.session.add_all(rows)
    db.session.commit()


def _period_figures(day: date, baseline_year: int) -> list[PreparedFigures]:
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
    return prepared


def _quality(day: date, baseline_year: int) -> PreparedQuality:
    """The quality section's parts: the sums of the episodes that ended in each year from the
    baseline year on (scored against the baseline's expected course) and the response counts,
    per group (and intake band), so no member's own figures are kept."""
    inputs, course = growth_inputs(baseline_year)
    scale = phq9_total()
    years = quality_years(baseline_year, day)
    sums = episode_sums(scored_episodes(inputs, course, scale), years, scale)
    return PreparedQuality(
        baseline_year=baseline_year,
        through=day,
        episodes=_as_record(sums),
        responses=_as_record(response_counts(inputs.panel, years)),
    )


def _as_record(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """A frame as JSON-safe columns: dates as ISO text, numbers plain, missing as null."""
    return {column: [_plain(v) for v in frame[column]] for column in frame.columns}


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return float(value)
    return str(value)


@dataclass(frozen=True)
class PreparedQualityParts:
    sums: pd.DataFrame  # episode_sums of the years
    answered: pd.DataFrame  # response_counts of the years
    years: list[Period]  # the years they were summed over (the running one to `through`)
    at: datetime  # naive UTC


def prepared_quality(baseline_year: int) -> PreparedQualityParts | None:
    """The quality section's prepared parts while fresh; None when it must be computed."""
    stored = db.session.scalar(
        sa.select(PreparedQuality).where(
            PreparedQuality.baseline_year == baseline_year,
            PreparedQuality.prepared_at > utcnow() - _fresh(),
        )
    )
    if stored is None:
        return None
    try:
        sums = _read(stored.episodes, [GROUP, "band", "start", "end", *SUMMED])
        answered = _read(stored.responses, [GROUP, "start", "end", "rows", "responded", "members"])
    except (KeyError, TypeError, ValueError):
        return None  # prepared by an earlier version of Kring: computed until the next run
    years = quality_years(baseline_year, stored.through)
    return PreparedQualityParts(sums, answered, years, stored.prepared_at)


def _read(record: dict[str, list[Any]], columns: list[str]) -> pd.DataFrame:
    """A frame stored by `_as_record`, its periods' days as dates again (KeyError when a
    column is missing)."""
    frame = pd.DataFrame({column: record[column] for column in columns})
    for column in ("start", "end"):
        frame[column] = frame[column].map(date.fromisoformat)
    return frame


def _fresh() -> timedelta:
    """How long prepared figures are shown: the job runs at least twice in that time."""
    return timedelta(seconds=2 * float(current_app.config["SCHEDULER_FIGURES_SECONDS"]))


@dataclass(frozen=True)
class Prepared:
    summary: OrganisationSummary
    waiting: WaitingFigures
    at: datetime  # naive UTC


def prepared_figures(period: Period, baseline_year: int) -> Prepared | None:
    """The period's prepared figures while fresh (the job runs at least twice in that time);
    None when they must be computed."""
    stored = db.session.scalar(
        sa.select(PreparedFigures).where(
            PreparedFigures.starts_on == period.start,
            PreparedFigures.ends_on == period.end,
            PreparedFigures.baseline_year == baseline_year,
            PreparedFigures.prepared_at > utcnow() - _fresh(),
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

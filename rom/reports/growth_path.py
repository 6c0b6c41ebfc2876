"""The page for the insurer, "Groeipad groepsbehandeling": a year against the baseline year in
volume and share of group treatment, quality kept (adjusted for case mix), waiting time to a
group, dropout and how fast signals were acted on. Aggregates only; cells of fewer than
MIN_EPISODES members are not shown."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd
from flask import current_app
from flask_babel import gettext as _

from questionnaires import Scale
from rom.analytics.columns import FORMAT, GROUP
from rom.analytics.expected_course import ExpectedCourse
from rom.clock import organisation_today
from rom.frames import growth_inputs, waiting_inputs
from rom.i18n import reader_language
from rom.instruments import phq9_total
from rom.labels import FORMAT_LABELS, KIND_LABELS, label
from rom.reports.quality import MIN_EPISODES, TOO_FEW, Quality, quality, scored_episodes
from rom.reports.quality_words import (
    VERDICT_SHORT,
    percent,
    quality_sentence,
    unadjusted_sentence,
    year_label,
)
from rom.reports.render import page_header, render_pdf
from rom.reports.summary import TARGETS, Figures, Period, ReportInputs, organisation_summary
from rom.reports.waiting import WaitingFigures
from rom.services.individual_volumes import individual_volumes


@dataclass(frozen=True)
class YearFigures:
    year: int
    period: Period  # the calendar year, up to today while it runs
    group_volume: int  # attended member-sessions in the period
    annualised_volume: float
    individual_volume: int | None  # as the organisation entered it
    figures: Figures  # the organisation report's totals over the period
    quality: Quality
    waiting: WaitingFigures | None = None

    @property
    def running(self) -> bool:
        return self.period.end < date(self.year, 12, 31)

    @property
    def share(self) -> float | None:
        """Group treatment's share of all treatment contacts (group and individual)."""
        if self.individual_volume is None:
            return None
        whole = self.annualised_volume + self.individual_volume
        return self.annualised_volume / whole if whole else None


@dataclass(frozen=True)
class GrowthPath:
    baseline: YearFigures
    year: YearFigures
    by_kind: list[tuple[str, Quality]]
    by_format: list[tuple[str, Quality]]
    by_quarter: list[tuple[int, Quality]]

    @property
    def volume_change(self) -> float | None:
        before = self.baseline.annualised_volume
        return self.year.annualised_volume / before - 1 if before else None

    @property
    def share_change(self) -> float | None:
        """Percentage points of share gained since the baseline year."""
        if self.year.share is None or self.baseline.share is None:
            return None
        return self.year.share - self.baseline.share


def year_period(year: int, today: date) -> Period:
    return Period(date(year, 1, 1), min(date(year, 12, 31), today))


def quality_years(baseline_year: int, today: date) -> list[Period]:
    """The years from the baseline year to this one (so far): what quality is shown for."""
    return [year_period(y, today) for y in range(baseline_year, today.year + 1)]


def growth_path(
    inputs: ReportInputs,
    course: ExpectedCourse,
    scale: Scale,
    year: int,
    baseline_year: int,
    today: date,
    individual: dict[int, int],
) -> GrowthPath:
    periods = [year_period(baseline_year, today), year_period(year, today)]
    scored = scored_episodes(inputs, course, scale)
    totals = quality(inputs, course, scale, periods, periods[0], scored=scored)
    years = [
        _year(inputs, scale, period, baseline_year, individual, measured)
        for period, measured in zip(periods, totals, strict=True)
    ]
    quarters = quarter_periods(year, today)
    return GrowthPath(
        baseline=years[0],
        year=years[1],
        by_kind=_per_value(inputs, course, scale, periods, "kind", scored),
        by_format=_per_value(inputs, course, scale, periods, FORMAT, scored),
        by_quarter=list(
            zip(
                range(1, len(quarters) + 1),
                quality(inputs, course, scale, quarters, periods[0], scored=scored),
                strict=True,
            )
        ),
    )


def quarter_periods(year: int, today: date) -> list[Period]:
    """The year's quarters that have begun by today (the running one up to today)."""
    starts = [date(year, month, 1) for month in (1, 4, 7, 10)]
    ends = [*(following - timedelta(days=1) for following in starts[1:]), date(year, 12, 31)]
    return [
        Period(start, min(end, today))
        for start, end in zip(starts, ends, strict=True)
        if start <= today
    ]


def _year(
    inputs: ReportInputs,
    scale: Scale,
    period: Period,
    baseline_year: int,
    individual: dict[int, int],
    measured: Quality,
) -> YearFigures:
    summary = organisation_summary(inputs, period, scale, baseline_year)
    year = period.start.year
    days_in_year = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return YearFigures(
        year=year,
        period=period,
        group_volume=summary.growth.period_volume,
        annualised_volume=summary.growth.period_volume * days_in_year / period.days,
        individual_volume=individual.get(period.start.year),
        figures=summary.total,
        quality=measured,
    )


def _per_value(
    inputs: ReportInputs,
    course: ExpectedCourse,
    scale: Scale,
    periods: list[Period],
    column: str,
    scored: pd.DataFrame,
) -> list[tuple[str, Quality]]:
    """The chosen year's quality per kind of group (or per format)."""
    rows = []
    for value in sorted(inputs.groups[column].unique()):
        ids = set(inputs.groups.loc[inputs.groups[column] == value, GROUP])
        (measured,) = quality(inputs, course, scale, periods[1:], periods[0], ids, scored)
        rows.append((value, measured))
    return rows


def growth_path_report(year: int) -> bytes:
    """The PDF for a year against the configured baseline year."""
    baseline_year = current_app.config["BASELINE_YEAR"]
    today = organisation_today()
    inputs, course = growth_inputs(baseline_year)
    path = growth_path(
        inputs, course, phq9_total(), year, baseline_year, today, individual_volumes()
    )
    path = replace(
        path,
        baseline=_with_waiting(path.baseline, inputs, today),
        year=_with_waiting(path.year, inputs, today),
    )
    language = reader_language()
    this_year = year_label(path.year.period)
    return render_pdf(
        "growth_path.html",
        path=path,
        year_label=this_year,
        baseline_label=str(baseline_year),
        sentences=[
            quality_sentence(str(baseline_year), path.baseline.quality, language),
            quality_sentence(this_year, path.year.quality, language),
        ],
        unadjusted=unadjusted_sentence(this_year, str(baseline_year), path.year.quality, language),
        breakdown=[
            (
                _("%(year)s per kwartaal", year=year),
                [
                    (_("%(quarter)se kwartaal", quarter=number), measured)
                    for number, measured in path.by_quarter
                ],
            ),
            (
                _("%(year)s per soort groep", year=year),
                [(label(KIND_LABELS, kind), measured) for kind, measured in path.by_kind],
            ),
            (
                _("%(year)s per vorm", year=year),
                [(label(FORMAT_LABELS, value), measured) for value, measured in path.by_format],
            ),
        ],
        verdicts=VERDICT_SHORT,
        too_few=TOO_FEW,
        minimum=MIN_EPISODES,
        targets=TARGETS,
        pct=lambda value, signed=False: percent(value, language, signed),
        reliable_change=phq9_total().norms.reliable_change,
        cutoff=phq9_total().norms.cutoff,
        source=_course_source(course),
        **page_header(_("%(year)s tegen %(baseline)s", year=this_year, baseline=baseline_year)),
    )


def _course_source(course: ExpectedCourse) -> str:
    if course.closed_cases:
        return _(
            "uit %(cases)s behandelingen die tot dan waren afgesloten", cases=course.closed_cases
        )
    return _(
        "de standaardwaarden van Kring uit de literatuur (nog te weinig afgesloten behandelingen)"
    )


def _with_waiting(figures: YearFigures, inputs: ReportInputs, today: date) -> YearFigures:
    return replace(figures, waiting=waiting_inputs(inputs, figures.period, today))

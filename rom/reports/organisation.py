"""The organisation report (PDF): volume against the baseline year, outcomes, waiting list and
capacity, and how fast feedback was used, over a period."""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _

from rom.clock import organisation_today
from rom.frames import organisation_figures
from rom.instruments import phq9_total
from rom.labels import KIND_LABELS, OUTCOME_LABELS, label, words
from rom.reports import charts
from rom.reports.render import page_header, render_pdf
from rom.reports.summary import OUTCOMES, TOTAL, Period


def _kindwords() -> dict:
    return words(KIND_LABELS) | {"any": _("elke soort"), TOTAL: _("Totaal")}


def organisation_report(start: date, end: date) -> bytes:
    period = Period(start, end)
    scale = phq9_total()
    summary, waiting = organisation_figures(
        period, current_app.config["BASELINE_YEAR"], organisation_today()
    )
    return render_pdf(
        "organisation.html",
        summary=summary,
        waiting=waiting,
        labels=_kindwords(),
        period_days=period.days,
        reliable_change=scale.norms.reliable_change,
        cutoff=scale.norms.cutoff,
        outcome_chart=_outcome_chart(summary.by_kind),
        **page_header(_("%(start)s t/m %(end)s", start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}")),
    )


def _outcome_chart(rows: list) -> object | None:
    if not rows or not any(sum(f.outcomes.values()) for f in rows):
        return None
    return charts.bar_chart(
        [label(KIND_LABELS, f.label) for f in rows],
        {name: [f.outcomes[name] for f in rows] for name in OUTCOMES},
        labels={name: str(OUTCOME_LABELS[name]) for name in OUTCOMES},
    )

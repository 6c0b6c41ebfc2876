"""The management skeleton: the period, the baseline year and the breakdown; below, quality year
on year with its own choice of groups. The figures come from the callbacks. The period is two
native date fields (the browser's own, labelled in the reader's language); the year, breakdown
and groups are links, so every choice is a plain control."""

from __future__ import annotations

from datetime import date

from dash import dcc, html
from flask import url_for
from flask_babel import gettext as _

from dashboards.management import ids
from dashboards.page import chart, page
from rom.clock import organisation_today


def layout() -> html.Div:
    today = organisation_today()
    return page(
        ids.URL,
        [html.A(_("Rapportages (PDF)"), href=url_for("staff.reports"))],
        html.H1(_("Groepsbehandeling")),
        [
            html.Div(
                className="controls",
                children=[
                    html.Label([_("Van"), _date_field(ids.START, date(today.year, 1, 1))]),
                    html.Label([_("Tot en met"), _date_field(ids.END, today)]),
                    html.Div(id=ids.BASELINE),
                    html.Div(id=ids.DIMENSION),
                ],
            ),
            html.Section(id=ids.TABLE),
            html.Div(className="pair", children=[chart(ids.VOLUME), chart(ids.RATES)]),
            html.Div(className="pair", children=[chart(ids.OUTCOMES), chart(ids.DROPOUT)]),
            _quality_section(),
        ],
    )


def _quality_section() -> html.Section:
    """Quality year on year, adjusted for the intakes: its own choice of groups, the years in
    words, the chart with its intervals and the figures per year (from their own callback)."""
    return html.Section(
        id=ids.QUALITY_SECTION,
        children=[
            html.H2(
                _("Kwaliteit per jaar, gecorrigeerd voor de instroom"),
                id=ids.QUALITY_HEADING,
                tabIndex="-1",  # a filter chosen brings focus back to the section
            ),
            html.Div(id=ids.QUALITY_FILTERS),
            html.Div(id=ids.QUALITY_WORDS),
            chart(ids.QUALITY),
            html.Div(id=ids.QUALITY_TABLE),
        ],
        **{"aria-labelledby": ids.QUALITY_HEADING},
    )


def _date_field(field_id: str, value: date) -> dcc.Input:
    return dcc.Input(id=field_id, type="date", value=value.isoformat(), debounce=True)

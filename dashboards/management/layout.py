"""The management skeleton: the period, the baseline year and the breakdown; the figures come
from the callback. The period is two native date fields (the browser's own, labelled in the
reader's language); the year and breakdown are links, so every choice is a plain control."""

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
        ],
    )


def _date_field(field_id: str, value: date) -> dcc.Input:
    return dcc.Input(id=field_id, type="date", value=value.isoformat(), debounce=True)

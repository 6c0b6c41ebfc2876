"""The management skeleton: period, baseline year and breakdown; figures from the callback."""

from __future__ import annotations

from datetime import date

from dash import dcc, html

from dashboards.management import ids
from dashboards.texts import t


def layout() -> html.Div:
    today = date.today()
    return html.Div(
        className="dashboard",
        children=[
            dcc.Location(id=ids.URL),
            html.Nav(
                className="dash-nav",
                children=[
                    html.A("Kring", href="/staff/groups", className="brand"),
                    html.A(t("to_reports"), href="/staff/reports"),
                ],
            ),
            html.H1(t("management_title")),
            html.Div(
                className="controls",
                children=[
                    html.Label(
                        [
                            t("period"),
                            dcc.DatePickerRange(
                                id=ids.PERIOD,
                                start_date=date(today.year, 1, 1),
                                end_date=today,
                                display_format="DD-MM-YYYY",
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            t("baseline"),
                            dcc.Dropdown(
                                id=ids.BASELINE,
                                options=list(range(2023, today.year)),
                                value=2025,
                                clearable=False,
                            ),
                        ]
                    ),
                    html.Label(
                        [
                            t("by"),
                            dcc.RadioItems(
                                id=ids.DIMENSION,
                                options=[
                                    {"label": t("kind"), "value": "kind"},
                                    {"label": t("therapist"), "value": "therapist"},
                                ],
                                value="kind",
                                inline=True,
                            ),
                        ]
                    ),
                ],
            ),
            html.Section(id=ids.TABLE),
            html.Div(
                className="pair",
                children=[
                    dcc.Graph(id=ids.VOLUME, config={"displaylogo": False}),
                    dcc.Graph(id=ids.RATES, config={"displaylogo": False}),
                ],
            ),
            html.Div(
                className="pair",
                children=[
                    dcc.Graph(id=ids.OUTCOMES, config={"displaylogo": False}),
                    dcc.Graph(id=ids.DROPOUT, config={"displaylogo": False}),
                ],
            ),
        ],
    )

"""The caseload skeleton: the user's groups, flags by urgency, what to do before the next
session (filled by the callback)."""

from __future__ import annotations

from dash import dcc, html

from dashboards.caseload import ids
from dashboards.texts import t


def layout() -> html.Div:
    return html.Div(
        className="dashboard",
        children=[
            dcc.Location(id=ids.URL),
            html.Nav(
                className="dash-nav",
                children=[
                    html.A("Kring", href="/staff/flags", className="brand"),
                    html.A(t("to_group_dashboard"), href="/dash/group/"),
                ],
            ),
            html.Section(id=ids.GROUPS),
            dcc.Graph(id=ids.CHART, config={"displaylogo": False}),
            html.Section(id=ids.TODO, className="todo"),
        ],
    )

"""The group dashboard's skeleton: controls and empty graphs; the data comes from callbacks."""

from __future__ import annotations

from dash import dcc, html

from dashboards.group import ids
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
                    html.A(t("to_caseload"), href="/dash/caseload/"),
                    html.A(t("to_group_report"), id=ids.REPORT, href="#"),
                ],
            ),
            html.Div(
                className="controls",
                children=[
                    html.Label([t("group"), dcc.Dropdown(id=ids.GROUP, clearable=False)]),
                    html.Label([t("member"), dcc.Dropdown(id=ids.MEMBER, clearable=True)]),
                ],
            ),
            dcc.Graph(id=ids.TRAJECTORIES, config={"displaylogo": False}),
            dcc.Graph(id=ids.OVERVIEW, config={"displaylogo": False}),
            html.Div(
                className="pair",
                children=[
                    dcc.Graph(id=ids.CLIMATE, config={"displaylogo": False}),
                    dcc.Graph(id=ids.RATES, config={"displaylogo": False}),
                ],
            ),
            html.Section(id=ids.FLAGS, className="flags"),
        ],
    )

"""The group dashboard's skeleton: the choice of group, every member's course against the
expected one, the overview, climate and attendance, the open flags; the data comes from the
callback."""

from __future__ import annotations

from dash import html
from flask_babel import gettext as _

from dashboards import paths
from dashboards.group import ids
from dashboards.page import chart, page


def layout() -> html.Div:
    return page(
        ids.URL,
        [
            html.A(_("Mijn groepen"), href=paths.CASELOAD),
            html.A(_("Groepsrapportage (PDF)"), id=ids.REPORT, href="#"),
        ],
        html.H1(_("Groepsdashboard"), id=ids.HEADING),
        [
            html.Div(id=ids.GROUPS),
            html.Section(
                className="courses",
                children=[
                    html.Div(id=f"{ids.COURSES}-caption"),
                    html.Div(id=ids.COURSES, className="panels"),
                    html.Details(
                        className="chart-data",
                        children=[
                            html.Summary(_("De cijfers als tabel")),
                            html.Div(id=f"{ids.COURSES}-table"),
                        ],
                    ),
                ],
                **{"aria-labelledby": f"{ids.COURSES}-title"},
            ),
            chart(ids.OVERVIEW, wide=True),
            html.Div(className="pair", children=[chart(ids.CLIMATE), chart(ids.RATES)]),
            html.Section(id=ids.FLAGS, className="flags"),
        ],
    )

"""The caseload skeleton: the user's groups, flags by urgency, what to do before the next
session (filled by the callback)."""

from __future__ import annotations

from dash import html
from flask_babel import gettext as _

from dashboards import paths
from dashboards.caseload import ids
from dashboards.page import chart, page


def layout() -> html.Div:
    return page(
        ids.URL,
        [html.A(_("Groepsdashboard"), href=paths.GROUP)],
        html.H1(_("Mijn groepen")),
        [
            html.Section(id=ids.GROUPS),
            chart(ids.CHART),
            html.Section(id=ids.TODO, className="todo"),
        ],
    )

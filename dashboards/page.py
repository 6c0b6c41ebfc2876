"""What every dashboard page shares: a skip link, the navigation, one `<main>` with the page's
heading; each chart as a figure with a caption that names it, and its figures as a table (the
text alternative a screen reader reads, from the same data as the drawing)."""

from __future__ import annotations

from dash import Output, dcc, html
from dash.development.base_component import Component
from flask import url_for
from flask_babel import gettext as _

from dashboards.theme import GRAPH_CONFIG

MAIN = "main"


def page(url_id: str, links: list[Component], heading: Component, content: list) -> html.Div:
    return html.Div(
        className="dashboard",
        children=[
            dcc.Location(id=url_id, refresh=False),
            html.A(_("Naar de inhoud"), href=f"#{MAIN}", className="skip"),
            html.Nav(
                className="dash-nav",
                children=[
                    html.A("Kring", href=url_for("staff.caseload"), className="brand"),
                    *links,
                ],
                **{"aria-label": _("Hoofdmenu")},
            ),
            html.Main(id=MAIN, tabIndex="-1", children=[heading, *content]),
        ],
    )


def chart(graph_id: str, *, wide: bool = False) -> html.Figure:
    """An empty chart: the callback fills its caption, drawing and table (chart_outputs). A wide
    chart keeps its width on a phone and scrolls sideways instead of shrinking its text."""
    drawing = html.Div(
        role="img",
        className="drawing wide" if wide else "drawing",
        children=dcc.Graph(id=graph_id, config=GRAPH_CONFIG),
        **{"aria-labelledby": f"{graph_id}-caption"},
    )
    if wide:
        drawing = html.Div(
            className="scroll",
            tabIndex="0",
            role="region",
            children=drawing,
            **{"aria-labelledby": f"{graph_id}-caption"},
        )
    return html.Figure(
        className="chart",
        children=[
            html.Figcaption(id=f"{graph_id}-caption"),
            drawing,
            html.Details(
                className="chart-data",
                children=[
                    html.Summary(_("De cijfers als tabel")),
                    html.Div(id=f"{graph_id}-table"),
                ],
            ),
        ],
    )


def chart_outputs(graph_id: str) -> list[Output]:
    return [
        Output(f"{graph_id}-caption", "children"),
        Output(graph_id, "figure"),
        Output(f"{graph_id}-table", "children"),
    ]


def caption(title: str, summary: str = "") -> list[Component]:
    """The chart's title as a heading and, when there is one, its message in a sentence."""
    return [html.H2(title), *([html.P(summary)] if summary else [])]


def data_table(title: str, columns: list[str], rows: list[list[object]]) -> html.Div:
    """A table with the first column as row headers, in a region that scrolls sideways when it
    is wider than the screen (and takes keyboard focus so it can be scrolled)."""
    if not rows:
        return html.P(_("Nog geen gegevens"))
    return html.Div(
        className="scroll",
        tabIndex="0",
        role="region",
        children=html.Table(
            className="plain",
            children=[
                html.Caption(title),
                html.Thead(html.Tr([html.Th(name, scope="col") for name in columns])),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                html.Th(row[0], scope="row"),
                                *[html.Td(value) for value in row[1:]],
                            ]
                        )
                        for row in rows
                    ]
                ),
            ],
        ),
        **{"aria-label": title},
    )


def choices(label: str, options: list[tuple[str, str, bool]]) -> html.Nav:
    """A short list of links to choose from (label, href, chosen): the chosen one is marked as
    current and is not a link. Links stay on the page (no reload) and keep the URL shareable."""
    return html.Nav(
        className="choices",
        children=[
            html.Span(label, className="choices-label"),
            html.Ul(
                [
                    html.Li(
                        html.Strong(text, **{"aria-current": "true"})
                        if chosen
                        else dcc.Link(text, href=href)
                    )
                    for text, href, chosen in options
                ]
            ),
        ],
        **{"aria-label": label},
    )

"""Colours, fonts, and the shared figure layout: the Okabe-Ito palette (safe for colour-blind
readers), large enough type for a tablet, axis labels in the user's language, every text at
least 4.5:1 against its background. A chart's title is the HTML heading above it (charts.py)."""

from __future__ import annotations

import plotly.graph_objects as go

from rom.numbers import separators

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
GREY = "#9a9ca5"  # lines and marks only: too light for text
TEXT = "#1b1b1f"
TEXT_GREY = "#5f6270"  # 6:1 on white
PURPLE_TEXT = "#8a3b6d"  # the Okabe-Ito purple darkened to 7:1 on white, for text
BAND = "rgba(0, 114, 178, 0.15)"
SEVERITY_COLOURS = {
    "critical": OKABE_ITO["vermillion"],
    "high": OKABE_ITO["orange"],
    "medium": OKABE_ITO["sky"],
    "low": OKABE_ITO["green"],
}
OUTCOME_COLOURS = {
    "recovered": OKABE_ITO["green"],
    "improved": OKABE_ITO["sky"],
    "unchanged": GREY,
    "deteriorated": OKABE_ITO["vermillion"],
}
# Light to mid blue: dark numbers on every cell stay above 5:1 (the heatmap prints scores).
LIGHT_SCALE = [[0.0, "#ffffff"], [0.5, "#9ecae1"], [1.0, "#4292c6"]]
# No toolbar (its buttons would be English, in the tab order, one sharing to a cloud service),
# no zooming by drag, scroll or double click: the charts are read, not explored.
GRAPH_CONFIG = {
    "displayModeBar": False,
    "showTips": False,
    "scrollZoom": False,
    "doubleClick": False,
    "responsive": True,
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


# The look every chart shares, in plotly's own terms: go.Figure charts apply it with
# base_layout, and the charts a dashboard draws many of are plain dicts built by figure_layout.
LOOK = {
    "font": {"family": FONT, "size": 13, "color": TEXT},
    "plot_bgcolor": "white",
    "paper_bgcolor": "white",
    "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    "hoverlabel": {"font": {"size": 13}},
    "dragmode": False,
}
X_AXIS = {
    "showgrid": False,
    "linecolor": GREY,
    "ticks": "outside",
    "fixedrange": True,
    "automargin": True,  # long or turned labels make room for themselves on a phone
}
Y_AXIS = {
    "gridcolor": "#e6e8ee",
    "linecolor": GREY,
    "zeroline": False,
    "fixedrange": True,
    "automargin": True,
}
# The template a go.Figure carries by default, so a dict figure draws exactly like one. These
# dicts are shared by every chart a worker draws: read them, never change them in place.
TEMPLATE = go.Figure().to_plotly_json()["layout"]["template"]


def base_layout(
    figure: go.Figure, x_title: str = "", y_title: str = "", *, language: str
) -> go.Figure:
    """The shared look, numbers with the language's decimal and thousands marks (3,5 and 1.250
    in Dutch)."""
    figure.update_layout(separators=separators(language), **LOOK)
    figure.update_xaxes(title=x_title, **X_AXIS)
    figure.update_yaxes(title=y_title, **Y_AXIS)
    return figure


def figure_layout(
    x_title: str = "",
    y_title: str = "",
    *,
    language: str,
    xaxis: dict | None = None,
    yaxis: dict | None = None,
    **settings: object,
) -> dict:
    """base_layout's look as a plain layout dict: plotly's figure objects validate every
    property they are given, which costs tens of milliseconds per chart."""
    return {
        "template": TEMPLATE,
        "separators": separators(language),
        **LOOK,
        "xaxis": {"title": {"text": x_title}, **X_AXIS, **(xaxis or {})},
        "yaxis": {"title": {"text": y_title}, **Y_AXIS, **(yaxis or {})},
        **settings,
    }


def empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14, "color": TEXT_GREY})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(plot_bgcolor="white", paper_bgcolor="white", height=200)
    return figure

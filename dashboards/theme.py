"""Colours, fonts, and the shared figure layout: the Okabe-Ito palette (safe for colour-blind
readers), large enough type for a tablet, titles and axis labels in the user's language."""

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
GREY = "#9a9ca5"
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
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def base_layout(
    figure: go.Figure, title: str, x_title: str = "", y_title: str = "", *, language: str
) -> go.Figure:
    """The shared look, numbers with the language's decimal and thousands marks (3,5 and 1.250
    in Dutch)."""
    figure.update_layout(
        separators=separators(language),
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": 16},
        },
        font={"family": FONT, "size": 13, "color": "#1b1b1f"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 90, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 13},
    )
    figure.update_xaxes(title=x_title, showgrid=False, linecolor=GREY, ticks="outside")
    figure.update_yaxes(title=y_title, gridcolor="#e6e8ee", linecolor=GREY, zeroline=False)
    return figure


def empty_figure(message: str) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, font={"size": 14, "color": GREY})
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    figure.update_layout(plot_bgcolor="white", paper_bgcolor="white", height=200)
    return figure

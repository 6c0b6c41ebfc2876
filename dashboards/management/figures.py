"""The management figures (pure): OrganisationSummary and the years' Quality in, figures out."""

from __future__ import annotations

import math

import plotly.graph_objects as go

from dashboards.theme import (
    GREY,
    OKABE_ITO,
    OUTCOME_COLOURS,
    TEXT,
    TEXT_GREY,
    base_layout,
    empty_figure,
)
from rom.numbers import decimal
from rom.reports.quality import TOO_FEW, Quality
from rom.reports.summary import OUTCOMES, Figures, Growth


def volume_bars(growth: Growth, labels: dict[str, str]) -> list[tuple[str, float, str]]:
    """The bars of the volume chart: name, client sessions per year, colour."""
    bars = [
        (f"{labels['baseline']} {growth.baseline_year}", growth.baseline_volume, GREY),
        (labels["period_annualised"], growth.annualised_volume, OKABE_ITO["blue"]),
    ]
    for year, aim in growth.targets:
        name = f"{labels['target']} {year} (+{aim:.0%})"
        bars.append((name, growth.baseline_volume * (1 + aim), OKABE_ITO["sky"]))
    return bars


def volume(growth: Growth, labels: dict[str, str]) -> go.Figure:
    """The period's volume per year against the baseline year and the national aims, as
    horizontal bars: their names stay readable on a phone."""
    if not growth.baseline_volume and not growth.period_volume:
        return empty_figure(labels["no_data"])
    names, values, colours = (list(part) for part in zip(*volume_bars(growth, labels), strict=True))
    shown = list(names)
    if growth.change is not None:  # the period's name says how far it is from the baseline
        change = decimal(growth.change * 100, 1, labels["language"], signed=True) + "%"
        shown[1] += f"<br><b>{change}</b>"
    figure = go.Figure(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker_color=colours,
            text=[f"{v:.0f}" for v in values],
            textposition="outside",
            hovertemplate="%{y}: %{x:.0f}<extra></extra>",
        )
    )
    figure.update_layout(height=300)
    base_layout(figure, "", "", language=labels["language"])
    figure.update_yaxes(autorange="reversed", gridcolor="white", tickvals=names, ticktext=shown)
    figure.update_xaxes(range=[0, max(values) * 1.3], showgrid=True, gridcolor="#e6e8ee", nticks=4)
    return figure


def rates(rows: list[Figures], labels: dict[str, str]) -> go.Figure:
    if not rows:
        return empty_figure(labels["no_data"])
    names = [row.label for row in rows]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=[(row.attendance or 0) * 100 for row in rows],
                name=labels["attendance"],
                marker_color=OKABE_ITO["blue"],
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
            ),
            go.Bar(
                x=names,
                y=[(row.response_rate or 0) * 100 for row in rows],
                name=labels["response"],
                marker_color=OKABE_ITO["orange"],
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
            ),
            go.Bar(
                x=names,
                y=[_percent(row.acted_by_next_session) for row in rows],
                name=labels["acted"],
                marker_color=OKABE_ITO["green"],
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
            ),
            go.Bar(
                x=names,
                y=[_percent(row.briefings_opened) for row in rows],
                name=labels["briefed"],
                marker_color=OKABE_ITO["purple"],
                hovertemplate="%{x}: %{y:.0f}%<extra></extra>",
            ),
        ]
    )
    figure.update_yaxes(range=[0, 105], ticksuffix="%")
    figure.update_layout(height=440, barmode="group")
    return base_layout(figure, "", labels["percent"], language=labels["language"])


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def outcomes(rows: list[Figures], labels: dict[str, str]) -> go.Figure:
    """Per unit: the share of measured clients in each outcome (numbers on hover)."""
    measured = [(row, sum(row.outcomes.values())) for row in rows]
    if not any(total for _, total in measured):
        return empty_figure(labels["no_data"])
    figure = go.Figure(
        [
            go.Bar(
                x=[row.label for row, _ in measured],
                y=[row.outcomes[name] / total * 100 if total else 0 for row, total in measured],
                customdata=[row.outcomes[name] for row, _ in measured],
                name=labels[name],
                marker_color=OUTCOME_COLOURS[name],
                hovertemplate="%{x}: %{y:.0f}% "
                + f"({labels[name]}, n=%{{customdata}})<extra></extra>",
            )
            for name in OUTCOMES
        ]
    )
    figure.update_yaxes(range=[0, 100], ticksuffix="%")
    figure.update_layout(height=380, barmode="stack")
    base_layout(figure, "", labels["clients"], language=labels["language"])
    figure.update_layout(legend={"traceorder": "normal"})
    return figure


def dropout(rows: list[Figures], labels: dict[str, str]) -> go.Figure:
    """Dropouts per unit as bars; the median days from flag to action as a line."""
    if not rows:
        return empty_figure(labels["no_data"])
    names = [row.label for row in rows]
    figure = go.Figure(
        [
            go.Bar(
                x=names,
                y=[row.dropouts for row in rows],
                name=labels["dropouts"],
                marker_color=OKABE_ITO["vermillion"],
                hovertemplate="%{x}: %{y}<extra></extra>",
            ),
            go.Scatter(
                x=names,
                y=[row.median_days_to_acknowledge for row in rows],
                name=labels["days_to_ack"],
                mode="markers",
                marker={"symbol": "diamond", "size": 12, "color": OKABE_ITO["black"]},
                yaxis="y2",
                hovertemplate="%{x}: %{y:.1f}<extra></extra>",
            ),
        ]
    )
    days = [row.median_days_to_acknowledge for row in rows]
    acted = [d for d in days if d is not None]
    figure.update_layout(
        height=380,
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "visible": bool(acted),
            **whole_ticks(max(acted, default=0)),
        },
    )
    base_layout(figure, "", labels["dropouts"], language=labels["language"])
    figure.update_layout(yaxis=whole_ticks(max((row.dropouts for row in rows), default=0)))
    figure.update_layout(yaxis2={"title": labels["days_to_ack"]})  # base_layout titled every y
    return figure


def whole_ticks(top: float) -> dict:
    """An axis from 0 with whole-number ticks that reaches past `top` (at least 1): days and
    counts read 0, 1, 2 ..., never 0,000254."""
    step = max(1, math.ceil(top / 5))
    return {"range": [0, step * (math.floor(top / step) + 1)], "dtick": step, "tick0": 0}


def quality(years: list[tuple[str, Quality]], labels: dict[str, str]) -> go.Figure:
    """Per year: the share recovered as measured, a point with the 95% interval of its difference
    from the expectation drawn around it (so the interval reaches from expected + low to expected
    + high), and the share expected for that year's intakes as a dash. A year with too few
    measured treatments shows no point, only the words that say so."""
    if not years:
        return empty_figure(labels["no_data"])
    language = labels["language"]
    names = [name for name, _q in years]
    judged = [(name, q) for name, q in years if q.verdict != TOO_FEW]
    recovered = [(name, q.outcomes["recovered"]) for name, q in judged]
    figure = go.Figure(
        [
            go.Scatter(
                x=[name for name, _c in recovered],
                y=[c.observed * 100 for _n, c in recovered],
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [(c.high - c.difference) * 100 for _n, c in recovered],
                    "arrayminus": [(c.difference - c.low) * 100 for _n, c in recovered],
                    "color": OKABE_ITO["blue"],
                    "thickness": 3,
                    "width": 10,
                },
                mode="markers+text",
                text=[share(c.observed, language) for _n, c in recovered],
                textposition="middle right",
                textfont={"color": TEXT},
                marker={"symbol": "circle", "size": 13, "color": OKABE_ITO["blue"]},
                name=labels["quality_observed"],
                customdata=[
                    [share(c.expected + c.low, language), share(c.expected + c.high, language)]
                    for _n, c in recovered
                ],
                hovertemplate="%{x}: %{text} "
                + labels["quality_recovered"]
                + " [%{customdata[0]}; %{customdata[1]}]<extra></extra>",
                cliponaxis=False,
            ),
            go.Scatter(
                x=[name for name, _c in recovered],
                y=[c.expected * 100 for _n, c in recovered],
                mode="markers",
                marker={  # an open symbol is drawn in the marker's colour
                    "symbol": "line-ew-open",
                    "size": 30,
                    "color": OKABE_ITO["black"],
                    "line": {"width": 4},
                },
                name=labels["quality_expected"],
                customdata=[share(c.expected, language) for _n, c in recovered],
                hovertemplate="%{x}: %{customdata} "
                + labels["quality_expected"].lower()
                + "<extra></extra>",
            ),
        ]
    )
    for position, (_name, q) in enumerate(years):
        if q.verdict == TOO_FEW:
            figure.add_annotation(
                x=position,  # by its place: a name such as "2025" would be read as a number
                y=50,
                text=labels["too_few"].replace(" ", "<br>"),  # narrow enough for a phone
                showarrow=False,
                font={"color": TEXT_GREY, "size": 13},
            )
    figure.update_layout(height=380)
    base_layout(figure, "", labels["recovered"], language=language)
    figure.update_xaxes(  # every year in its place, also when none has a point
        type="category",
        categoryorder="array",
        categoryarray=names,
        range=[-0.5, len(names) - 0.5],
    )
    figure.update_xaxes(tickvals=names, ticktext=[name.replace(" (", "<br>(") for name in names])
    figure.update_yaxes(range=[0, 100], ticksuffix="%", dtick=20)
    return figure


def share(value: float | None, language: str) -> str:
    """A share as a whole percentage in the language's notation (38%); a dash for none."""
    if value is None or value != value:
        return "–"
    return decimal(value * 100, 0, language) + "%"

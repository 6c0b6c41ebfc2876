"""The management figures (pure): OrganisationSummary in, figures out."""

from __future__ import annotations

import plotly.graph_objects as go

from dashboards.theme import GREY, OKABE_ITO, OUTCOME_COLOURS, base_layout, empty_figure
from rom.numbers import decimal
from rom.reports.summary import OUTCOMES, Figures, Growth


def volume(growth: Growth, labels: dict[str, str]) -> go.Figure:
    """The period's volume per year against the baseline year and the national aims."""
    if not growth.baseline_volume and not growth.period_volume:
        return empty_figure(labels["no_data"])
    names = [f"{labels['baseline']} {growth.baseline_year}", labels["period_annualised"]]
    values = [growth.baseline_volume, growth.annualised_volume]
    colours = [GREY, OKABE_ITO["blue"]]
    for year, aim in growth.targets:
        names.append(f"{labels['target']} {year} (+{aim:.0%})")
        values.append(growth.baseline_volume * (1 + aim))
        colours.append(OKABE_ITO["sky"])
    figure = go.Figure(
        go.Bar(
            x=names,
            y=values,
            marker_color=colours,
            text=[f"{v:.0f}" for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.0f}<extra></extra>",
        )
    )
    if growth.change is not None:
        figure.add_annotation(
            x=1,
            y=growth.annualised_volume,
            text=decimal(growth.change * 100, 1, labels["language"], signed=True) + "%",
            showarrow=False,
            yshift=30,
            font={"size": 16, "color": OKABE_ITO["blue"]},
        )
    figure.update_layout(height=380)
    return base_layout(
        figure, labels["volume"], "", labels["volume_axis"], language=labels["language"]
    )


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
    base_layout(figure, labels["rates_by"], "", labels["percent"], language=labels["language"])
    figure.update_layout(margin={"t": 160})  # four long legend entries stack under the title
    return figure


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
    base_layout(figure, labels["outcomes"], "", labels["clients"], language=labels["language"])
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
    acted = any(row.median_days_to_acknowledge is not None for row in rows)
    figure.update_layout(
        height=380,
        yaxis2={"overlaying": "y", "side": "right", "rangemode": "tozero", "visible": acted},
    )
    base_layout(figure, labels["dropout_ack"], "", labels["dropouts"], language=labels["language"])
    figure.update_layout(yaxis2={"title": labels["days_to_ack"]})  # base_layout titled every y
    return figure

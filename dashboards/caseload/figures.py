"""The caseload's chart: open flags per group, stacked by urgency (pure)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.theme import SEVERITY_COLOURS, base_layout, empty_figure

SEVERITIES = ("critical", "high", "medium", "low")


def flag_counts(flags: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Group x severity: how many open flags."""
    counts = (
        flags.groupby(["group_name", "severity"]).size().unstack(fill_value=0)
        if not flags.empty
        else pd.DataFrame(index=groups)
    )
    return counts.reindex(index=groups, columns=list(SEVERITIES), fill_value=0)


def flags_by_group(flags: pd.DataFrame, groups: list[str], labels: dict[str, str]) -> go.Figure:
    if not groups:
        return empty_figure(labels["no_data"])
    counts = flag_counts(flags, groups)
    figure = go.Figure(
        [
            go.Bar(
                y=counts.index,
                x=counts[severity],
                name=labels[f"severity_{severity}"],
                orientation="h",
                marker_color=SEVERITY_COLOURS[severity],
                hovertemplate=f"%{{y}}: %{{x}} ({labels[f'severity_{severity}']})<extra></extra>",
            )
            for severity in SEVERITIES
        ]
    )
    figure.update_layout(barmode="stack", height=max(240, 60 * len(groups) + 140))
    figure.update_layout(legend={"traceorder": "normal"})
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(dtick=1)
    return base_layout(figure, labels["count"], "", language=labels["language"])

"""The group dashboard's figures: DataFrames in, plotly figures out (no Flask, no database).

`labels` carries every visible text in the user's language."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboards.theme import BAND, GREY, OKABE_ITO, SEVERITY_COLOURS, base_layout, empty_figure

CLIMATE = ("engagement", "avoidance", "conflict", "cohesion")
CLIMATE_COLOURS = dict(
    zip(
        CLIMATE,
        (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"], OKABE_ITO["green"]),
        strict=True,
    )
)
ATTENDANCE_MARKS = {"present": "✓", "absent": "✗", "excused": "a"}


def trajectories(
    panel: pd.DataFrame,
    expected: pd.DataFrame,
    flags: pd.DataFrame,
    selected: str | None,
    labels: dict[str, str],
    cutoff: float,
    reliable_change: float,
) -> go.Figure:
    """Every member's PHQ-9 by group session; the selected member highlighted with their
    expected band, reliable-change lines, and flag markers."""
    measured = panel.dropna(subset=["phq9"])
    if measured.empty:
        return empty_figure(labels["no_data"])
    figure = go.Figure()
    if selected is not None:
        band = expected[expected["member_id"] == selected]
        figure.add_trace(
            go.Scatter(
                x=band["session_no"],
                y=band["p75"],
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=band["session_no"],
                y=band["p25"],
                mode="lines",
                fill="tonexty",
                fillcolor=BAND,
                line={"width": 0},
                name=labels["expected"],
                hoverinfo="skip",
            )
        )
    _member_lines(figure, measured, selected)
    figure.add_hline(
        y=cutoff,
        line={"dash": "dash", "color": OKABE_ITO["black"], "width": 1},
        annotation_text=labels["cutoff"],
        annotation_position="top left",
    )
    if selected is not None:
        intake = measured.loc[measured["member_id"] == selected, "phq9"]
        if not intake.empty:
            for level in (intake.iloc[0] - reliable_change, intake.iloc[0] + reliable_change):
                figure.add_hline(
                    y=level, line={"dash": "dot", "color": OKABE_ITO["purple"], "width": 1}
                )
            figure.add_annotation(
                x=0,
                xref="paper",
                y=intake.iloc[0] - reliable_change,
                text=labels["reliable"],
                showarrow=False,
                xanchor="left",
                yshift=-10,
                font={"size": 10, "color": OKABE_ITO["purple"]},
            )
    _flag_markers(figure, measured, flags, labels)
    figure.update_yaxes(range=[0, 27.5])
    figure.update_layout(height=430)
    return base_layout(
        figure,
        labels["trajectories"],
        labels["session"],
        labels["phq9"],
        language=labels["language"],
    )


def _member_lines(figure: go.Figure, measured: pd.DataFrame, selected: str | None) -> None:
    """All other members as one grey trace (gaps between members), the selected member on top,
    and each member's code at their last score (one text trace): few traces keep it fast."""
    others = measured[measured["member_id"] != selected]
    x, y, who = [], [], []
    for member, rows in others.groupby("member_id", sort=True):
        x += [*rows["session_no"], None]
        y += [*rows["phq9"], None]
        who += [member] * len(rows) + [None]
    figure.add_trace(
        go.Scatter(
            x=x,
            y=y,
            customdata=who,
            mode="lines+markers",
            showlegend=False,
            connectgaps=False,
            line={"color": GREY, "width": 1.2},
            marker={"size": 4},
            opacity=1.0 if selected is None else 0.45,
            hovertemplate="%{customdata}<br>%{x}: %{y:.0f}<extra></extra>",
        )
    )
    if selected is not None:
        own = measured[measured["member_id"] == selected]
        figure.add_trace(
            go.Scatter(
                x=own["session_no"],
                y=own["phq9"],
                customdata=[selected] * len(own),
                mode="lines+markers",
                showlegend=False,
                line={"color": OKABE_ITO["blue"], "width": 3.5},
                marker={"size": 7},
                hovertemplate=f"{selected}<br>%{{x}}: %{{y:.0f}}<extra></extra>",
            )
        )
    last = measured.groupby("member_id", sort=True).last()
    figure.add_trace(
        go.Scatter(
            x=last["session_no"],
            y=label_heights(last["session_no"], last["phq9"]),
            text=[str(m)[-4:] for m in last.index],
            customdata=list(last.index),
            mode="text",
            textposition="middle right",
            textfont={
                "size": 10,
                "color": [OKABE_ITO["blue"] if m == selected else GREY for m in last.index],
            },
            showlegend=False,
            hoverinfo="skip",
        )
    )


LABEL_GAP = 1.3  # PHQ-9 points between two members' codes ending at the same session


def label_heights(sessions: pd.Series, scores: pd.Series, gap: float = LABEL_GAP) -> list[float]:
    """Heights for the codes at the members' last scores: codes at the same session that would
    touch are spread `gap` apart around where they were, keeping their order, so two members
    ending on the same score do not print over each other; a code with room stays put."""
    heights = scores.astype(float)
    for _, at in scores.groupby(sessions.to_numpy()):
        ordered = at.astype(float).sort_values(kind="stable")
        heights[ordered.index] = _spread(ordered.tolist(), gap)
    return heights.tolist()


def _spread(ascending: list[float], gap: float) -> list[float]:
    clusters: list[list[float]] = []
    for value in ascending:
        clusters.append([value])
        while (
            len(clusters) > 1 and _edge(clusters[-1], gap, -1) < _edge(clusters[-2], gap, 1) + gap
        ):
            top = clusters.pop()
            clusters[-1] += top
    placed = []
    for cluster in clusters:
        centre = sum(cluster) / len(cluster)
        placed += [centre + gap * (i - (len(cluster) - 1) / 2) for i in range(len(cluster))]
    return placed


def _edge(cluster: list[float], gap: float, side: int) -> float:
    """The top (side 1) or bottom (side -1) of a cluster of codes placed around its mean."""
    return sum(cluster) / len(cluster) + side * gap * (len(cluster) - 1) / 2


def _flag_markers(
    figure: go.Figure, measured: pd.DataFrame, flags: pd.DataFrame, labels: dict[str, str]
) -> None:
    member_flags = flags.dropna(subset=["member_id"])
    if member_flags.empty:
        return
    scores = measured.set_index(["member_id", "session_no"])["phq9"]
    last = measured.groupby("member_id")["phq9"].last()
    rows = []
    for flag in member_flags.itertuples(index=False):
        y = scores.get((flag.member_id, flag.raised_session), last.get(flag.member_id, 0))
        rows.append((flag.raised_session, y, flag.severity, f"{flag.member_id}: {flag.kind_text}"))
    frame = pd.DataFrame(rows, columns=["x", "y", "severity", "text"])
    figure.add_trace(
        go.Scatter(
            x=frame["x"],
            y=frame["y"],
            mode="markers",
            name=labels["flag"],
            marker={
                "symbol": "diamond-open",
                "size": 15,
                "line": {"width": 2.5},
                "color": [SEVERITY_COLOURS.get(s, GREY) for s in frame["severity"]],
            },
            text=frame["text"],
            hovertemplate="%{text}<extra></extra>",
        )
    )


def overview(panel: pd.DataFrame, selected: str | None, labels: dict[str, str]) -> go.Figure:
    """Members x sessions: the PHQ-9 score as colour and number, attendance as a mark."""
    if panel.empty:
        return empty_figure(labels["no_data"])
    members = sorted(panel["member_id"].unique(), reverse=True)
    sessions = sorted(panel["session_no"].unique())
    scores = panel.pivot_table(
        index="member_id", columns="session_no", values="phq9", aggfunc="last"
    )
    scores = scores.reindex(index=members, columns=sessions)
    marks = panel.assign(
        mark=panel["status"].map(ATTENDANCE_MARKS).fillna("")
        + panel["phq9"].map(lambda v: "" if pd.isna(v) else f" {v:.0f}")
        + panel["responded"].map(lambda r: "" if r else " ·")
    ).pivot_table(index="member_id", columns="session_no", values="mark", aggfunc="last")
    marks = marks.reindex(index=members, columns=sessions).fillna("")
    figure = go.Figure(
        go.Heatmap(
            z=scores.to_numpy(),
            x=sessions,
            y=members,
            text=marks.to_numpy(),
            texttemplate="%{text}",
            colorscale="Cividis",
            reversescale=True,
            zmin=0,
            zmax=27,
            colorbar={"title": {"text": "PHQ-9"}},
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    if selected in members:
        figure.add_shape(
            type="rect",
            xref="paper",
            x0=0,
            x1=1,
            yref="y",
            y0=members.index(selected) - 0.5,
            y1=members.index(selected) + 0.5,
            line={"color": OKABE_ITO["vermillion"], "width": 3},
        )
    figure.update_layout(height=max(260, 34 * len(members) + 120))
    figure.update_xaxes(dtick=1)
    return base_layout(
        figure, labels["overview"], labels["session"], "", language=labels["language"]
    )


def climate(panel: pd.DataFrame, selected: str | None, labels: dict[str, str]) -> go.Figure:
    """Mean climate and cohesion per session with the spread between members (25-75%); the
    selected member's own answers as dots."""
    measured = panel.dropna(subset=["engagement", "cohesion"], how="all")
    if measured.empty:
        return empty_figure(labels["no_data"])
    by_session = measured.groupby("session_no")
    figure = go.Figure()
    for scale in CLIMATE:
        colour = CLIMATE_COLOURS[scale]
        low, high = by_session[scale].quantile(0.25), by_session[scale].quantile(0.75)
        figure.add_trace(
            go.Scatter(
                x=high.index,
                y=high,
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        figure.add_trace(
            go.Scatter(
                x=low.index,
                y=low,
                mode="lines",
                fill="tonexty",
                fillcolor=_transparent(colour),
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
            )
        )
        mean = by_session[scale].mean()
        figure.add_trace(
            go.Scatter(
                x=mean.index,
                y=mean,
                mode="lines+markers",
                name=labels[scale],
                line={"color": colour, "width": 2.5},
                hovertemplate=f"{labels[scale]} %{{x}}: %{{y:.1f}}<extra></extra>",
            )
        )
        if selected is not None:
            own = measured[measured["member_id"] == selected]
            figure.add_trace(
                go.Scatter(
                    x=own["session_no"],
                    y=own[scale],
                    mode="markers",
                    showlegend=False,
                    marker={"color": colour, "symbol": "x", "size": 9},
                    hovertemplate=f"{selected} · {labels[scale]} %{{x}}: %{{y:.1f}}<extra></extra>",
                )
            )
    figure.update_yaxes(range=[0, 6.2])
    figure.update_layout(height=380)
    return base_layout(
        figure,
        labels["climate"],
        labels["session"],
        labels["climate_score"],
        language=labels["language"],
    )


def _transparent(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 0.12)"


def rates(panel: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Per session: the share of members present and the share who answered."""
    if panel.empty:
        return empty_figure(labels["no_data"])
    by_session = panel.groupby("session_no")
    attendance = by_session["status"].apply(lambda s: (s == "present").mean() * 100)
    response = by_session["responded"].mean() * 100
    figure = go.Figure(
        [
            go.Bar(
                x=attendance.index,
                y=attendance,
                name=labels["attendance"],
                marker_color=OKABE_ITO["blue"],
                hovertemplate=f"{labels['attendance']} %{{x}}: %{{y:.0f}}%<extra></extra>",
            ),
            go.Scatter(
                x=response.index,
                y=response,
                name=labels["response"],
                mode="lines+markers",
                line={"color": OKABE_ITO["orange"], "width": 2.5},
                hovertemplate=f"{labels['response']} %{{x}}: %{{y:.0f}}%<extra></extra>",
            ),
        ]
    )
    figure.update_yaxes(range=[0, 105], ticksuffix="%")
    figure.update_layout(height=380)
    return base_layout(
        figure,
        labels["rates"],
        labels["session"],
        labels["percent"],
        language=labels["language"],
    )

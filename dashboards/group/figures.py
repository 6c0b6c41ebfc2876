"""The group dashboard's figures and the tables beside them: DataFrames in, plotly figures and
rows of text out (no Flask, no database).

`labels` carries every visible text in the user's language."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboards.theme import (
    BAND,
    FONT,
    GREY,
    LIGHT_SCALE,
    OKABE_ITO,
    PURPLE_TEXT,
    SEVERITY_COLOURS,
    TEXT,
    empty_figure,
    figure_layout,
)
from rom.numbers import decimal, separators

CLIMATE = ("engagement", "avoidance", "conflict", "cohesion")
CLIMATE_COLOURS = dict(
    zip(
        CLIMATE,
        (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["vermillion"], OKABE_ITO["green"]),
        strict=True,
    )
)
OFF_COURSE = ("not_on_track", "deterioration")  # the flags that say a member is off course
PHQ9_TOP = 27


@dataclass(frozen=True)
class Course:
    """One member's PHQ-9 course and where it stands against their expected band."""

    member_id: str
    start: float
    last: float
    last_session: int
    expected_low: float | None
    expected_high: float | None
    off_course: bool

    @property
    def position(self) -> str | None:
        """Where the last score stands against the band: above (more symptoms than expected),
        within, below; None without a band."""
        if self.expected_low is None or self.expected_high is None:
            return None
        if self.last > self.expected_high:
            return "above"
        return "below" if self.last < self.expected_low else "within"


def courses(panel: pd.DataFrame, expected: pd.DataFrame, flags: pd.DataFrame) -> list[Course]:
    """Every measured member, those off course (an open not-on-track or deterioration flag)
    first, then by code."""
    measured = panel.dropna(subset=["phq9"])
    off = set(flags.loc[flags["kind"].isin(OFF_COURSE), "member_id"]) if len(flags) else set()
    ends = measured.groupby("member_id", sort=True).agg(
        start=("phq9", "first"), last=("phq9", "last"), last_session=("session_no", "last")
    )
    bands = expected.drop_duplicates(["member_id", "session_no"]).set_index(
        ["member_id", "session_no"]
    )
    at_last = bands.reindex(pd.MultiIndex.from_arrays([ends.index, ends["last_session"]]))
    edges = at_last[["p25", "p75"]]
    edges = edges.where(edges.notna().all(axis=1))  # a band is both edges or none
    found = [
        Course(
            member_id=str(member),
            start=float(start),
            last=float(last),
            last_session=int(session),
            expected_low=None if pd.isna(low) else float(low),
            expected_high=None if pd.isna(high) else float(high),
            off_course=member in off,
        )
        for member, start, last, session, low, high in zip(
            ends.index,
            ends["start"],
            ends["last"],
            ends["last_session"],
            edges["p25"],
            edges["p75"],
            strict=True,
        )
    ]
    return sorted(found, key=lambda c: (not c.off_course, c.member_id))


def member_course(
    own: pd.DataFrame,
    band: pd.DataFrame,
    flags: pd.DataFrame,
    course: Course,
    labels: dict[str, str],
    *,
    cutoff: float,
    reliable_change: float | None,
    sessions: tuple[int, int],
) -> dict:
    """One member's PHQ-9 by group session inside their expected band (25-75%), the clinical
    cut-off, their flags; the reliable-change lines when they are the member looked at. A plain
    figure dict: a group draws a dozen of these, and plotly's figure objects are slow to build.
    `own`, `band` and `flags` are the member's own measured rows, expected band and flags."""
    band = band.sort_values("session_no")
    colour = OKABE_ITO["vermillion"] if course.off_course else OKABE_ITO["blue"]
    x = band["session_no"].tolist()
    data = [
        *spread(x, band["p25"].tolist(), band["p75"].tolist(), BAND),
        {
            "x": own["session_no"].tolist(),
            "y": own["phq9"].tolist(),
            "mode": "lines+markers",
            "line": {"color": colour, "width": 3 if course.off_course else 2},
            "marker": {"size": 6},
            "hovertemplate": f"{labels['session']} %{{x}}: %{{y:.0f}}<extra></extra>",
        },
        *_flag_markers(own, flags),
    ]
    lines = [(cutoff, "dash", OKABE_ITO["black"])]
    if reliable_change is not None:
        lines += [(course.start + side * reliable_change, "dot", PURPLE_TEXT) for side in (-1, 1)]
    axis = {"linecolor": GREY, "fixedrange": True, "tickfont": {"color": TEXT}}
    layout = {
        "separators": separators(labels["language"]),
        "font": {"family": FONT, "size": 12, "color": TEXT},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "height": 190,
        "margin": {"l": 36, "r": 10, "t": 10, "b": 34},
        "showlegend": False,
        "dragmode": False,
        "xaxis": {
            **axis,
            "range": [sessions[0] - 0.5, sessions[1] + 0.5],
            "tick0": 0,
            "dtick": max(1, math.ceil((sessions[1] - sessions[0]) / 5)),  # readable on a phone
            "showgrid": False,
            "ticks": "outside",
        },
        "yaxis": {
            **axis,
            "range": [0, PHQ9_TOP + 0.5],
            "dtick": 9,
            "gridcolor": "#e6e8ee",
            "zeroline": False,
        },
        "shapes": [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": level,
                "y1": level,
                "line": {"dash": dash, "color": colour_, "width": 1},
            }
            for level, dash, colour_ in lines
        ],
    }
    return {"data": data, "layout": layout}


def _flag_markers(own: pd.DataFrame, flags: pd.DataFrame) -> list[dict]:
    if flags.empty or own.empty:
        return []
    scores = own.set_index("session_no")["phq9"]
    x = [int(f.raised_session) for f in flags.itertuples(index=False)]
    return [
        {
            "x": x,
            "y": [float(scores.get(session, scores.iloc[-1])) for session in x],
            "mode": "markers",
            "marker": {
                "symbol": "diamond-open",
                "size": 14,
                "line": {"width": 2.5},
                "color": [SEVERITY_COLOURS.get(s, GREY) for s in flags["severity"]],
            },
            "text": list(flags["kind_text"]),
            "hovertemplate": "%{text}<extra></extra>",
        }
    ]


def course_sentence(course: Course, labels: dict[str, str]) -> str:
    """The member's course in words: start, now, the expected band, off course or not."""
    language = labels["language"]
    expected = (
        ""
        if course.expected_low is None
        else labels["course_expected"]
        % {
            "low": decimal(course.expected_low, 0, language),
            "high": decimal(course.expected_high, 0, language),
        }
    )
    return labels["course_words"] % {
        "member": course.member_id,
        "start": decimal(course.start, 0, language),
        "last": decimal(course.last, 0, language),
        "session": course.last_session,
        "expected": expected,
        "state": state_text(course, labels),
    }


def state_text(course: Course, labels: dict[str, str]) -> str:
    """'Niet op koers' for a member flagged so; else where they stand against their band."""
    if course.off_course:
        return labels["off_course"]
    return labels[f"position_{course.position}"] if course.position else ""


def course_rows(found: list[Course], labels: dict[str, str]) -> list[list[str]]:
    language = labels["language"]
    return [
        [
            c.member_id,
            decimal(c.start, 0, language),
            f"{decimal(c.last, 0, language)} ({c.last_session})",
            "–"
            if c.expected_low is None
            else f"{decimal(c.expected_low, 0, language)}–{decimal(c.expected_high, 0, language)}",
            state_text(c, labels),
        ]
        for c in found
    ]


def overview(panel: pd.DataFrame, selected: str | None, labels: dict[str, str]) -> dict | go.Figure:
    """Members x sessions: the PHQ-9 score as colour and number, attendance as a mark."""
    if panel.empty:
        return empty_figure(labels["no_data"])
    members = sorted(panel["member_id"].unique(), reverse=True)
    sessions = sorted(int(s) for s in panel["session_no"].unique())
    scores = _by_member_and_session(panel, "phq9").reindex(index=members, columns=sessions)
    marks = overview_marks(panel, labels).reindex(index=members, columns=sessions).fillna("")
    heatmap = {
        "type": "heatmap",
        "z": scores.to_numpy(),
        "x": sessions,
        "y": members,
        "text": marks.to_numpy(),
        "texttemplate": "%{text}",
        "textfont": {"color": TEXT},
        "colorscale": LIGHT_SCALE,
        "zmin": 0,
        "zmax": PHQ9_TOP,
        "colorbar": {"title": {"text": labels["phq9_short"]}},
        "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
        "xgap": 2,
        "ygap": 2,
    }
    selection = (
        [
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": members.index(selected) - 0.5,
                "y1": members.index(selected) + 0.5,
                "line": {"color": OKABE_ITO["vermillion"], "width": 3},
            }
        ]
        if selected in members
        else []
    )
    layout = figure_layout(
        labels["session"],
        "",
        language=labels["language"],
        xaxis={"dtick": 1},
        height=max(240, 30 * len(members) + 90),
        **({"shapes": selection} if selection else {}),
    )
    return {"data": [heatmap], "layout": layout}


def _by_member_and_session(panel: pd.DataFrame, column: str) -> pd.DataFrame:
    """Member x session: the last known value of `column` (a panel has one row for each)."""
    return panel.groupby(["member_id", "session_no"])[column].last().unstack()


def attendance_marks(labels: dict[str, str]) -> dict[str, str]:
    return {"present": "✓", "absent": "✗", "excused": labels["excused_mark"]}


def overview_marks(panel: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Member x session: the attendance mark, the score, a dot when nothing was answered."""
    scores = panel["phq9"]
    marks = (
        panel["status"].map(attendance_marks(labels)).fillna("")
        + (" " + scores.round().astype("Int64").astype(str)).where(scores.notna(), "")
        + pd.Series(" ·", index=panel.index).where(~panel["responded"].astype(bool), "")
    )
    return _by_member_and_session(panel.assign(mark=marks), "mark")


def overview_rows(panel: pd.DataFrame, labels: dict[str, str]) -> tuple[list[int], list[list[str]]]:
    """The overview as a table: sessions as columns, a member per row."""
    if panel.empty:
        return [], []
    marks = overview_marks(panel, labels).sort_index()
    sessions = [int(s) for s in marks.columns]
    rows = [
        [str(member), *[str(v).strip() if isinstance(v, str) else "" for v in values]]
        for member, values in zip(marks.index, marks.to_numpy().tolist(), strict=True)
    ]
    return sessions, rows


def climate(panel: pd.DataFrame, selected: str | None, labels: dict[str, str]) -> dict | go.Figure:
    """Mean climate and cohesion per session with the spread between members (25-75%); the
    selected member's own answers as crosses."""
    measured = _climate_rows(panel)
    if measured.empty:
        return empty_figure(labels["no_data"])
    by_session = measured.groupby("session_no")[list(CLIMATE)]
    low, high, mean = by_session.quantile(0.25), by_session.quantile(0.75), by_session.mean()
    own = measured[measured["member_id"] == selected] if selected is not None else None
    data: list[dict] = []
    for scale in CLIMATE:
        colour = CLIMATE_COLOURS[scale]
        data += spread(
            low.index.tolist(), low[scale].tolist(), high[scale].tolist(), _transparent(colour)
        )
        data.append(
            {
                "type": "scatter",
                "x": mean.index.tolist(),
                "y": mean[scale].tolist(),
                "mode": "lines+markers",
                "name": labels[scale],
                "line": {"color": colour, "width": 2.5},
                "hovertemplate": f"{labels[scale]} %{{x}}: %{{y:.1f}}<extra></extra>",
            }
        )
        if own is not None:
            data.append(
                {
                    "type": "scatter",
                    "x": own["session_no"].tolist(),
                    "y": own[scale].tolist(),
                    "mode": "markers",
                    "showlegend": False,
                    "marker": {"color": colour, "symbol": "x", "size": 9},
                    "hovertemplate": (
                        f"{selected} · {labels[scale]} %{{x}}: %{{y:.1f}}<extra></extra>"
                    ),
                }
            )
    layout = figure_layout(
        labels["session"],
        labels["climate_score"],
        language=labels["language"],
        yaxis={"range": [0, 6.2]},
        height=360,
    )
    return {"data": data, "layout": layout}


def _climate_rows(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.dropna(subset=["engagement", "cohesion"], how="all")


def climate_rows(panel: pd.DataFrame, labels: dict[str, str]) -> list[list[str]]:
    """Per session: the mean of each scale over the members who answered."""
    means = _climate_rows(panel).groupby("session_no")[list(CLIMATE)].mean()
    language = labels["language"]
    return [
        [str(session), *[decimal(v, 1, language) for v in values]]
        for session, values in zip(means.index, means.to_numpy().tolist(), strict=True)
    ]


def _transparent(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 0.12)"


def session_rates(panel: pd.DataFrame) -> pd.DataFrame:
    """Per session: the percentage of members present and of members who answered."""
    shares = panel.assign(attendance=panel["status"] == "present", response=panel["responded"])
    return shares.groupby("session_no")[["attendance", "response"]].mean() * 100


def rates(panel: pd.DataFrame, labels: dict[str, str]) -> dict | go.Figure:
    """Per session: the share of members present and the share who answered."""
    if panel.empty:
        return empty_figure(labels["no_data"])
    shares = session_rates(panel)
    sessions = shares.index.tolist()
    data = [
        {
            "type": "bar",
            "x": sessions,
            "y": shares["attendance"].tolist(),
            "name": labels["attendance"],
            "marker": {"color": OKABE_ITO["blue"]},
            "hovertemplate": f"{labels['attendance']} %{{x}}: %{{y:.0f}}%<extra></extra>",
        },
        {
            "type": "scatter",
            "x": sessions,
            "y": shares["response"].tolist(),
            "name": labels["response"],
            "mode": "lines+markers",
            "line": {"color": OKABE_ITO["orange"], "width": 2.5},
            "hovertemplate": f"{labels['response']} %{{x}}: %{{y:.0f}}%<extra></extra>",
        },
    ]
    layout = figure_layout(
        labels["session"],
        labels["percent"],
        language=labels["language"],
        yaxis={"range": [0, 105], "ticksuffix": "%"},
        height=360,
    )
    return {"data": data, "layout": layout}


def rate_rows(panel: pd.DataFrame) -> list[list[str]]:
    shares = session_rates(panel)
    return [
        [str(session), f"{row.attendance:.0f}%", f"{row.response:.0f}%"]
        for session, row in zip(shares.index, shares.itertuples(index=False), strict=True)
    ]


def spread(x: list, low: list, high: list, fill: str) -> list[dict]:
    """A shaded band between two lines (an expected course, the spread between members): the
    upper edge, then the lower one filled up to it; neither answers the pointer nor has a legend."""
    edge = {"type": "scatter", "x": x, "mode": "lines", "line": {"width": 0}}
    quiet = {"hoverinfo": "skip", "showlegend": False}
    return [
        edge | quiet | {"y": high},
        edge | quiet | {"y": low, "fill": "tonexty", "fillcolor": fill},
    ]

"""The anonymous group summary therapists may show in the group: climate and cohesion means per
session, each withheld where fewer than MIN_ANSWERS members answered it, so that no one's answers
can be read from the figures."""

from __future__ import annotations

import pandas as pd

MIN_ANSWERS = 4
SCALES = ("engagement", "conflict", "avoidance", "cohesion")


def group_summary(
    answers: pd.DataFrame, sessions: list[int], minimum: int = MIN_ANSWERS
) -> pd.DataFrame:
    """answers: one row per member, session and scale (columns session_no, member, scale,
    value). Returns one row per session (in the given order) with the number who answered and
    each scale's mean; a mean is NaN where fewer than `minimum` members answered that scale."""
    answers = answers.dropna(subset=["value"])
    per_member = answers.groupby(["session_no", "scale", "member"])["value"].last().reset_index()
    stats = per_member.groupby(["session_no", "scale"])["value"].agg(["mean", "count"])
    means = stats["mean"].where(stats["count"] >= minimum).unstack("scale")
    means = means.reindex(index=sessions, columns=list(SCALES))
    answered = per_member.groupby("session_no")["member"].nunique()
    summary = means.assign(answered=answered.reindex(sessions).fillna(0).astype(int))
    summary["shown"] = means.notna().any(axis=1)
    summary.index.name = "session_no"
    summary.columns.name = None
    return summary.reset_index()


def change_since_previous(summary: pd.DataFrame) -> pd.DataFrame:
    """Per scale: the latest shown mean and the shown mean before it (NaN where there is none)."""
    shown = summary[summary["shown"]]
    rows = []
    for scale in SCALES:
        values = shown[scale].dropna()
        rows.append(
            {
                "scale": scale,
                "latest": values.iloc[-1] if len(values) else float("nan"),
                "previous": values.iloc[-2] if len(values) > 1 else float("nan"),
            }
        )
    return pd.DataFrame(rows)

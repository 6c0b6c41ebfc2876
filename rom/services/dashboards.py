"""What the dashboards show, loaded for one group or one user's groups (the callbacks check
access first and call these)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from rom.analytics.panel import build_panel, empty_panel
from rom.flag_reasons import action_text, kind_text, reasons_text
from rom.frames import load_frames
from rom.models import Group
from rom.services.courses import expected_course_today, expected_scores
from rom.services.flagging import open_flags

PANEL_COLUMNS = [
    "group_id",
    "member_id",
    "session_no",
    "own_session",
    "status",
    "responded",
    "phq9",
    "engagement",
    "avoidance",
    "conflict",
    "cohesion",
]


@dataclass(frozen=True)
class GroupView:
    panel: pd.DataFrame  # one row per member and held session
    expected: pd.DataFrame  # member_id, session_no, p25, p75: the expected PHQ-9 band
    flags: pd.DataFrame  # open flags with their texts in the user's language


def group_view(group: Group, language: str) -> GroupView:
    frames = load_frames([group.id])
    panel = (
        build_panel(frames.sessions, frames.attendance, frames.scores, frames.critical)
        if len(frames.sessions)
        else empty_panel()
    )[PANEL_COLUMNS]
    return GroupView(
        panel, _expected(panel), flag_texts(open_flags(group_ids=[group.id]), language)
    )


def _expected(panel: pd.DataFrame) -> pd.DataFrame:
    """The expected PHQ-9 band at each member's rows, for their first score (one vectorised
    lookup for the whole group)."""
    measured = panel.dropna(subset=["phq9"])
    intake = measured.groupby("member_id")["phq9"].first()
    rows = panel[panel["member_id"].isin(intake.index)]
    if rows.empty:
        return pd.DataFrame(columns=["member_id", "session_no", "p25", "p75"])
    start = rows["member_id"].map(intake).astype(float)
    band = expected_scores(expected_course_today(), start, rows["own_session"])
    return pd.DataFrame(
        {
            "member_id": rows["member_id"],
            "session_no": rows["session_no"],
            "p25": band[75],  # the 75th percentile of improvement: the lower score
            "p75": band[25],
        }
    )


def flag_texts(flags: pd.DataFrame, language: str) -> pd.DataFrame:
    return flags.assign(
        member_id=flags["member_id"].fillna(""),
        kind_text=flags["kind"].map(lambda k: kind_text(k, language)),
        reasons_text=flags["reasons"].map(lambda r: reasons_text(r, language)),
        action_text=flags["action"].map(lambda a: action_text(a, language)),
    )

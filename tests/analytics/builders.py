"""Small hand-built frames for the analytics tests: one group, members with given courses."""

from __future__ import annotations

import pandas as pd

from rom.analytics.inputs import Frames


def frames_for(
    members: dict[str, dict],
    sessions: int = 10,
    group_format: str = "closed",
    start: str = "2026-01-05",
) -> Frames:
    """members: id -> {"phq9": [...], "gad7": [...], "status": [...], "cohesion": [...],
    "critical": {session}}.

    Lists are per session from 1; None means no answer (or no attendance row for status).
    """
    days = pd.date_range(start, periods=sessions, freq="7D")
    session_rows = pd.DataFrame(
        {"group_id": "G", "session_no": range(1, sessions + 1), "date": days, "held": True}
    )
    attendance, scores, critical = [], [], []
    for member, course in members.items():
        for n, status in enumerate(course.get("status", ["present"] * sessions), start=1):
            if status is not None:
                attendance.append(
                    {"group_id": "G", "member_id": member, "session_no": n, "status": status}
                )
        for column, (instrument, scale) in {
            "phq9": ("phq9", "total"),
            "gad7": ("gad7", "total"),
            "cohesion": ("gcs", "cohesion"),
        }.items():
            for n, value in enumerate(course.get(column, []), start=1):
                if value is not None:
                    scores.append(
                        {
                            "group_id": "G",
                            "member_id": member,
                            "session_no": n,
                            "instrument": instrument,
                            "scale": scale,
                            "value": value,
                        }
                    )
        for n in course.get("critical", ()):
            critical.append(
                {
                    "group_id": "G",
                    "member_id": member,
                    "session_no": n,
                    "instrument": "phq9",
                    "item": 9,
                    "value": 1,
                }
            )
    roster = pd.DataFrame(
        {
            "group_id": "G",
            "member_id": list(members),
            "joined_session": 1,
            "left_session": None,
            "leave_reason": None,
        }
    )
    return Frames(
        groups=pd.DataFrame(
            {"group_id": ["G"], "format": [group_format], "planned_sessions": [sessions]}
        ),
        roster=roster,
        sessions=session_rows,
        attendance=pd.DataFrame(attendance),
        scores=pd.DataFrame(
            scores, columns=["group_id", "member_id", "session_no", "instrument", "scale", "value"]
        ),
        critical=pd.DataFrame(
            critical, columns=["group_id", "member_id", "session_no", "instrument", "item", "value"]
        ),
    )

"""Warnings on a proposed group composition (pure pandas: data in, data out).

What research and practice advise against (e.g. Yalom & Leszcz, The Theory and Practice of Group
Psychotherapy, on composing groups; the Dutch survey of group therapists on composition as the
first obstacle to starting groups): one member far more severe than all others (an "isolate" by
severity), one member alone in differing on language, and a group below its minimum size. Each
warning names what it saw, so the therapist can weigh it; none of them forbids a placement.

members: client_id, intake (PHQ-9 at intake, NaN when unknown), language, proposed (bool).
"""

from __future__ import annotations

import pandas as pd

SEVERITY_GAP = 6.0  # PHQ-9 points above every other member: about one reliable change


def composition_warnings(
    members: pd.DataFrame, minimum_size: int, group_language: str
) -> list[dict]:
    """The warnings for the group as it would be, in a stable order."""
    warnings = []
    warnings += _severity_outlier(members)
    warnings += _lone_language(members, group_language)
    if len(members) < minimum_size:
        warnings.append({"code": "below_minimum", "size": len(members), "minimum": minimum_size})
    return warnings


def _severity_outlier(members: pd.DataFrame) -> list[dict]:
    known = members.dropna(subset=["intake"]).sort_values("intake", ascending=False)
    if len(known) < 3:
        return []
    top, second = known.iloc[0], known.iloc[1]
    gap = float(top["intake"] - second["intake"])
    if gap < SEVERITY_GAP:
        return []
    return [
        {
            "code": "severity_outlier",
            "client_id": top["client_id"],
            "intake": float(top["intake"]),
            "next_highest": float(second["intake"]),
            "gap": gap,
        }
    ]


def _lone_language(members: pd.DataFrame, group_language: str) -> list[dict]:
    counts = members["language"].value_counts()
    lone = [
        language
        for language, count in counts.items()
        if count == 1 and language != group_language and len(members) > 1
    ]
    return [
        {
            "code": "lone_language",
            "client_id": members.loc[members["language"] == language, "client_id"].iloc[0],
            "language": language,
        }
        for language in sorted(lone)
    ]

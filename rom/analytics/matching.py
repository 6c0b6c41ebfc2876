"""Matching waiting clients to groups with open places (pure pandas: data in, data out).

A client can be proposed for a group only when the intake therapist judged them suitable for
group treatment, no contra-indication is recorded, the group is of the kind they were referred
for (or they were referred for any kind), it is held in their language, it meets at a day and
part of the day they said they can come, and it has an open place. Among those, a group's list
is ranked by readiness for group treatment (high, medium, low, unknown) and then by waiting time,
longest first: the therapist decides, Kring explains each proposal with its reasons.

waiting: client_id, kind (None: any kind), language, referred_on (date), readiness (0-1 or NaN),
    decision ("suitable" / "individual_first" / "not_suitable" / None), contraindicated (bool),
    slots (a collection of "weekday:part" strings, weekday 0 = Monday, part morning / afternoon /
    evening).
groups: group_id, kind, language, slot ("weekday:part"), open_places, next_entry (date: the
    next session a new member could start at).
"""

from __future__ import annotations

from datetime import date, time

import pandas as pd

READINESS_BANDS = ((0.67, "high"), (0.34, "medium"), (0.0, "low"))
BAND_ORDER = {"high": 0, "medium": 1, "low": 2, "unknown": 3}
MATCH_COLUMNS = [
    "group_id",
    "client_id",
    "rank",
    "readiness_band",
    "waiting_days",
    "next_entry",
    "reasons",
]


def slot_of(weekday: int, start: time) -> str:
    """The slot a group's sessions fall in: weekday and part of the day."""
    part = "morning" if start.hour < 12 else "afternoon" if start.hour < 17 else "evening"
    return f"{weekday}:{part}"


def readiness_band(readiness: pd.Series) -> pd.Series:
    bands = pd.Series("unknown", index=readiness.index, dtype=object)
    for low, name in reversed(READINESS_BANDS):
        bands[readiness >= low] = name
    return bands


def candidates(waiting: pd.DataFrame, groups: pd.DataFrame, today: date) -> pd.DataFrame:
    """Every (group, client) pair that may be proposed, ranked within each group."""
    open_groups = groups[groups["open_places"] > 0]
    able = waiting[(waiting["decision"] == "suitable") & ~waiting["contraindicated"].astype(bool)]
    if able.empty or open_groups.empty:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    by_slot = able[["client_id", "slots"]].explode("slots").rename(columns={"slots": "slot"})
    pairs = by_slot.dropna(subset=["slot"]).merge(
        open_groups[["group_id", "kind", "language", "slot", "next_entry"]], on="slot"
    )
    pairs = pairs.merge(
        able[["client_id", "kind", "language", "referred_on", "readiness"]],
        on="client_id",
        suffixes=("", "_wished"),
    )
    fits = (pairs["language"] == pairs["language_wished"]) & (
        pairs["kind_wished"].isna() | (pairs["kind_wished"] == pairs["kind"])
    )
    pairs = pairs[fits].drop_duplicates(["group_id", "client_id"]).copy()
    pairs["waiting_days"] = (pd.Timestamp(today) - pd.to_datetime(pairs["referred_on"])).dt.days
    pairs["readiness_band"] = readiness_band(pairs["readiness"])
    pairs = pairs.assign(_band=pairs["readiness_band"].map(BAND_ORDER)).sort_values(
        ["group_id", "_band", "waiting_days", "client_id"], ascending=[True, True, False, True]
    )
    pairs["rank"] = pairs.groupby("group_id").cumcount() + 1
    pairs["reasons"] = [
        _reasons(kind_wished, band, days)
        for kind_wished, band, days in zip(
            pairs["kind_wished"], pairs["readiness_band"], pairs["waiting_days"], strict=True
        )
    ]
    return pairs[MATCH_COLUMNS].reset_index(drop=True)


def _reasons(kind_wished: object, band: str, days: int) -> list[dict]:
    reasons = [
        {"code": "kind_wished" if isinstance(kind_wished, str) else "any_kind"},
        {"code": "language"},
        {"code": "day_and_time"},
        {"code": "waiting", "days": int(days)},
    ]
    if band != "unknown":
        reasons.append({"code": f"readiness_{band}"})
    return reasons


def options_per_client(matches: pd.DataFrame) -> pd.DataFrame:
    """For each waiting client the groups they could join, the soonest start first."""
    return matches.sort_values(["client_id", "next_entry", "rank"]).reset_index(drop=True)

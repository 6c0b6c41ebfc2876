"""Group signals per session: climate, cohesion falling, many members flagged, response rate."""

from __future__ import annotations

import pandas as pd

from rom.analytics.columns import GROUP, SESSION
from rom.analytics.signals import combine

CONFLICT_HIGH = 3.0  # GCQ-S conflict mean (0-6) at or above: high
ENGAGEMENT_LOW = 3.0  # GCQ-S engagement mean (0-6) at or below: low
COHESION_FALL = 0.5  # points below the mean of the three sessions before
MIN_ANSWERS = 3
RESPONSE_RATE_LOW = 0.6
MANY_FLAGGED_SHARE = 0.4
MANY_FLAGGED_MIN = 3
ATTENTION_KINDS = ("critical_item", "deterioration", "not_on_track", "dropout_risk")


def group_climate(panel: pd.DataFrame) -> pd.DataFrame:
    """Per group and session: members, answers, response rate and climate/cohesion means."""
    grouped = panel.groupby([GROUP, SESSION])
    climate = grouped.agg(
        members=("member_id", "size"),
        answered=("responded", "sum"),
        engagement=("engagement", "mean"),
        avoidance=("avoidance", "mean"),
        conflict=("conflict", "mean"),
        cohesion=("cohesion", "mean"),
        cohesion_sd=("cohesion", "std"),
        climate_answers=("engagement", "count"),
    ).reset_index()
    climate["response_rate"] = climate["answered"] / climate["members"]
    previous = climate.groupby(GROUP)["cohesion"].shift()
    before = previous.groupby(climate[GROUP]).rolling(3, min_periods=2).mean().droplevel(0)
    climate["cohesion_before"] = before
    return climate


def group_flags(climate: pd.DataFrame, member_flags: pd.DataFrame) -> pd.DataFrame:
    enough = climate["climate_answers"] >= MIN_ANSWERS
    parts = [
        _flag(
            climate,
            enough
            & (climate["conflict"] >= CONFLICT_HIGH)
            & (climate["engagement"] <= ENGAGEMENT_LOW),
            "group_climate",
            "medium",
            lambda r: [
                {
                    "code": "conflict_high_engagement_low",
                    "conflict": r.conflict,
                    "engagement": r.engagement,
                }
            ],
            "discuss_in_team",
        ),
        _flag(
            climate,
            enough & (climate["cohesion_before"] - climate["cohesion"] >= COHESION_FALL),
            "cohesion_falling",
            "medium",
            lambda r: [{"code": "cohesion_fell", "now": r.cohesion, "before": r.cohesion_before}],
            "discuss_in_group",
        ),
        _flag(
            climate,
            (climate["members"] >= 4) & (climate["response_rate"] < RESPONSE_RATE_LOW),
            "low_response",
            "low",
            lambda r: [
                {
                    "code": "response_rate",
                    "rate": r.response_rate,
                    "answered": int(r.answered),
                    "members": int(r.members),
                }
            ],
            "discuss_in_group",
        ),
        _many_flagged(climate, member_flags),
    ]
    return combine(parts)


def _many_flagged(climate: pd.DataFrame, member_flags: pd.DataFrame) -> pd.DataFrame:
    attention = member_flags[member_flags["kind"].isin(ATTENTION_KINDS)]
    counts = attention.groupby([GROUP, SESSION])["member_id"].nunique().rename("flagged")
    merged = climate.merge(counts.reset_index(), on=[GROUP, SESSION], how="left").fillna(
        {"flagged": 0}
    )
    mask = (merged["flagged"] >= MANY_FLAGGED_MIN) & (
        merged["flagged"] >= MANY_FLAGGED_SHARE * merged["members"]
    )
    return _flag(
        merged,
        mask,
        "many_flagged",
        "medium",
        lambda r: [{"code": "many_flagged", "flagged": int(r.flagged), "members": int(r.members)}],
        "discuss_in_team",
    )


def _flag(frame: pd.DataFrame, mask: pd.Series, kind: str, severity: str, reasons, action: str):
    chosen = frame.loc[mask]
    return pd.DataFrame(
        {
            GROUP: chosen[GROUP],
            "member_id": None,
            SESSION: chosen[SESSION],
            "kind": kind,
            "severity": severity,
            "score": None,
            "reasons": [reasons(r) for r in chosen.itertuples(index=False)],
            "action": action,
        }
    )

"""Points a briefing suggests raising in the group, from the group's recent course: pure data in,
codes and their numbers out (`rom/talking_point_words.py` words them in the reader's language)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

CHANGE = 0.3  # a change in a climate or cohesion mean (0–6 and 1–7 scales) worth raising
LOW_RESPONSE = 0.6


@dataclass(frozen=True)
class Point:
    """A point to raise: what it is about and the numbers that say so."""

    code: str
    values: dict[str, float]


@dataclass(frozen=True)
class Situation:
    """What the briefing knows about the group before the session."""

    trend: pd.DataFrame  # session_no and group means: engagement, avoidance, conflict, cohesion
    joining: int
    leaving: int
    final_session: bool
    absent_last_time: int
    invited_last_time: int
    answered_last_time: int
    topics: int


def talking_points(situation: Situation) -> list[Point]:
    """A few points to raise, most pressing first; always at least one."""
    found: list[Point] = []
    found += _climate_changes(situation.trend)
    if situation.absent_last_time >= 2:
        found.append(Point("absences", {"count": situation.absent_last_time}))
    invited, answered = situation.invited_last_time, situation.answered_last_time
    if invited >= 3 and answered / invited < LOW_RESPONSE:
        found.append(Point("low_response", {"answered": answered, "invited": invited}))
    if situation.joining:
        found.append(Point("welcome", {"count": situation.joining}))
    if situation.final_session:
        found.append(Point("final_session", {}))
    elif situation.leaving:
        found.append(Point("farewell", {"count": situation.leaving}))
    if situation.topics:
        found.append(Point("topics", {"count": situation.topics}))
    if not found:
        found.append(Point("nothing_special", {}))
    return found


def _climate_changes(trend: pd.DataFrame) -> list[Point]:
    """Compare the last measured session with the mean of up to three before it."""
    changes = []
    for column, code, worse in (
        ("conflict", "conflict_rising", 1),
        ("cohesion", "cohesion_falling", -1),
        ("engagement", "engagement_falling", -1),
    ):
        values = trend[column].dropna() if column in trend else pd.Series(dtype=float)
        if len(values) < 2:
            continue
        now, before = float(values.iloc[-1]), float(values.iloc[-4:-1].mean())
        if (now - before) * worse >= CHANGE:
            changes.append(Point(code, {"before": before, "now": now}))
    return changes

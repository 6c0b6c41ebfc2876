"""Points a briefing suggests: from the group's recent course, most pressing first."""

from __future__ import annotations

import pandas as pd

from rom.analytics.talking_points import Point, Situation, talking_points


def _situation(**changes: object) -> Situation:
    values = {
        "trend": pd.DataFrame(
            {
                "session_no": [1, 2, 3, 4],
                "engagement": [4.0, 4.1, 3.9, 4.0],
                "conflict": [1.0, 1.1, 0.9, 1.0],
                "avoidance": [2.0, 2.0, 2.0, 2.0],
                "cohesion": [4.5, 4.4, 4.6, 4.5],
            }
        ),
        "joining": 0,
        "leaving": 0,
        "final_session": False,
        "absent_last_time": 0,
        "invited_last_time": 8,
        "answered_last_time": 8,
        "topics": 0,
    }
    return Situation(**(values | changes))


def _codes(situation: Situation) -> list[str]:
    return [p.code for p in talking_points(situation)]


def test_a_quiet_group_gets_one_open_point() -> None:
    assert talking_points(_situation()) == [Point("nothing_special", {})]


def test_rising_conflict_comes_first_with_the_means_it_compares() -> None:
    trend = _situation().trend.assign(conflict=[1.0, 1.1, 0.9, 2.0])
    points = talking_points(_situation(trend=trend, joining=2, absent_last_time=3))
    assert points[0] == Point("conflict_rising", {"before": 1.0, "now": 2.0})
    assert points[1] == Point("absences", {"count": 3})
    assert points[-1] == Point("welcome", {"count": 2})


def test_a_small_change_or_a_single_measurement_raises_nothing() -> None:
    trend = _situation().trend.assign(cohesion=[4.5, 4.4, 4.6, 4.3])
    assert _codes(_situation(trend=trend)) == ["nothing_special"]
    single = _situation().trend.head(1)
    assert _codes(_situation(trend=single)) == ["nothing_special"]


def test_low_response_counts_only_with_enough_invited() -> None:
    low = talking_points(_situation(invited_last_time=8, answered_last_time=4))
    assert Point("low_response", {"answered": 4, "invited": 8}) in low
    few = _codes(_situation(invited_last_time=2, answered_last_time=0))
    assert "low_response" not in few


def test_the_last_session_replaces_the_farewell() -> None:
    assert _codes(_situation(leaving=2)) == ["farewell"]
    assert _codes(_situation(leaving=2, final_session=True)) == ["final_session"]

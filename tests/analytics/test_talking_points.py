"""Points a briefing suggests: from the group's recent course, most pressing first."""

from __future__ import annotations

import pandas as pd

from rom.analytics.talking_points import Situation, talking_points


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


def test_a_quiet_group_gets_one_open_point() -> None:
    assert talking_points(_situation(), "nl") == [
        "Geen bijzonderheden in de metingen: vraag de groep wat zij willen inbrengen."
    ]


def test_rising_conflict_comes_first_with_the_means_it_compares() -> None:
    trend = _situation().trend.assign(conflict=[1.0, 1.1, 0.9, 2.0])
    points = talking_points(_situation(trend=trend, joining=2, absent_last_time=3), "en")
    assert points[0] == (
        "Tension in the group rose (1.0 → 2.0): name it and ask what the group needs."
    )
    assert points[1].startswith("3 members were absent last time")
    assert points[-1].startswith("Welcome the new members (2)")
    dutch = talking_points(_situation(trend=trend), "nl")[0]
    assert dutch.startswith("De spanning in de groep nam toe (1,0 → 2,0)")  # a decimal comma


def test_a_small_change_or_a_single_measurement_raises_nothing() -> None:
    trend = _situation().trend.assign(cohesion=[4.5, 4.4, 4.6, 4.3])
    assert len(talking_points(_situation(trend=trend), "nl")) == 1
    single = _situation().trend.head(1)
    assert len(talking_points(_situation(trend=single), "nl")) == 1


def test_low_response_counts_only_with_enough_invited() -> None:
    low = talking_points(_situation(invited_last_time=8, answered_last_time=4), "nl")
    assert any(p.startswith("Maar 4 van 8") for p in low)
    few = talking_points(_situation(invited_last_time=2, answered_last_time=0), "nl")
    assert not any(p.startswith("Maar") for p in few)

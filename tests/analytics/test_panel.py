"""The panel's derived columns see only the member's past."""

import pandas as pd

from rom.analytics.panel import first_value, prior_mean, recent_mean, rolling_sum, run_length
from rom.analytics.replay import course_panel
from tests.analytics.builders import frames_for


def panel_of(**members: dict) -> pd.DataFrame:
    return course_panel(frames_for(members, sessions=6))


def test_intake_is_unknown_until_the_first_score_appears() -> None:
    panel = panel_of(a={"phq9": [None, 15, 14, 13, 12, 11]})
    assert panel["intake"].isna().tolist() == [True, False, False, False, False, False]
    assert panel["intake"].iloc[1] == 15


def test_rolling_windows_and_runs_per_member() -> None:
    panel = panel_of(
        a={"status": ["present", "absent", "absent", "present", "absent", "absent"]},
        b={"status": ["absent"] * 6},
    )
    panel["away"] = panel["status"].eq("absent")
    a = panel[panel["member_id"] == "a"]
    assert run_length(panel, "away")[a.index].tolist() == [0, 1, 2, 0, 1, 2]
    assert rolling_sum(panel, "away", 3)[a.index].tolist() == [0, 1, 2, 2, 2, 2]
    b = panel[panel["member_id"] == "b"]
    assert run_length(panel, "away")[b.index].tolist() == [1, 2, 3, 4, 5, 6]


def test_means_use_only_earlier_rows() -> None:
    panel = panel_of(a={"phq9": [20, 10, None, 16, 12, 14]})
    assert prior_mean(panel, "phq9").tolist()[:3] == [None, 20, 15] or pd.isna(
        prior_mean(panel, "phq9").iloc[0]
    )
    assert prior_mean(panel, "phq9").iloc[3] == 15
    assert recent_mean(panel, "phq9", 3).iloc[3] == 13
    assert first_value(panel, "phq9", within=2).tolist() == [20] * 6

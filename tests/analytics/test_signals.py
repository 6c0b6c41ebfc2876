"""Each rule on a small course written out by hand: what a therapist would expect to see."""

import pandas as pd

from rom.analytics.replay import replay
from tests.analytics.builders import frames_for

STEADY_COHESION = [None] + [4.5] * 9


def flags_for(**members: dict) -> pd.DataFrame:
    return replay(frames_for(members)).flags


def kinds_at(flags: pd.DataFrame, member: str) -> dict[int, set[str]]:
    mine = flags[flags["member_id"] == member]
    return {int(s): set(g["kind"]) for s, g in mine.groupby("session_no")}


def test_a_critical_answer_is_flagged_at_that_session_only() -> None:
    flags = flags_for(a={"phq9": [14] * 10, "critical": {4}, "cohesion": STEADY_COHESION})
    critical = flags[flags["kind"] == "critical_item"]
    assert critical["session_no"].tolist() == [4]
    assert critical["severity"].tolist() == ["critical"]


def test_deterioration_needs_two_reliably_worse_scores() -> None:
    flags = flags_for(
        a={"phq9": [10, 11, 17, 12, 17, 18, 18, 18, 18, 18], "cohesion": STEADY_COHESION}
    )
    sessions = kinds_at(flags, "a")
    assert "deterioration" not in sessions.get(3, set())  # one bad score: not yet
    assert "deterioration" not in sessions.get(5, set())  # 12 in between breaks the run
    assert "deterioration" in sessions[6]


def test_recovery_needs_two_scores_below_the_cutoff_and_reliable_change() -> None:
    flags = flags_for(a={"phq9": [18, 15, 12, 9, 11, 8, 7, 6, 6, 5], "cohesion": STEADY_COHESION})
    sessions = kinds_at(flags, "a")
    assert "recovered" not in sessions.get(4, set())
    assert "recovered" not in sessions.get(5, set())
    assert "recovered" in sessions[7]
    reason = flags[(flags["kind"] == "recovered")].iloc[0]["reasons"][0]
    assert reason["code"] == "recovered_twice"


def test_a_member_far_behind_the_expected_course_is_not_on_track() -> None:
    flags = flags_for(
        stuck={"phq9": [18, 18, 19, 18, 18, 19, 18, 18, 18, 18], "cohesion": STEADY_COHESION},
        improving={"phq9": [18, 15, 13, 11, 10, 9, 8, 8, 7, 7], "cohesion": STEADY_COHESION},
    )
    stuck = kinds_at(flags, "stuck")
    assert any("not_on_track" in kinds for kinds in stuck.values())
    assert not any("not_on_track" in k for k in kinds_at(flags, "improving").values())
    first = flags[(flags["member_id"] == "stuck") & (flags["kind"] == "not_on_track")].iloc[0]
    assert first["action"] == "step_up"
    assert first["reasons"][0]["intake"] == 18


def test_anxiety_that_does_not_improve_counts_as_half_of_the_shortfall() -> None:
    """Depression improving a little less than expected: on track by itself; with anxiety stuck
    at its intake level as well, the mean shortfall of the two puts the member behind."""
    lagging = [16, 15, 14, 14, 13, 13, 13, 13, 12, 12]
    flags = flags_for(
        phq_only={"phq9": lagging, "cohesion": STEADY_COHESION},
        anxiety_improving={
            "phq9": lagging,
            "gad7": [15, 13, 11, 10, 9, 8, 8, 7, 7, 7],
            "cohesion": STEADY_COHESION,
        },
        anxiety_stuck={
            "phq9": lagging,
            "gad7": [15, 15, 16, 15, 15, 16, 15, 15, 15, 15],
            "cohesion": STEADY_COHESION,
        },
    )
    flagged = {
        member: any("not_on_track" in kinds for kinds in kinds_at(flags, member).values())
        for member in ("phq_only", "anxiety_improving", "anxiety_stuck")
    }
    assert flagged == {"phq_only": False, "anxiety_improving": False, "anxiety_stuck": True}


def test_absences_and_skipped_questionnaires_raise_dropout_risk_with_reasons() -> None:
    flags = flags_for(
        leaving={
            "phq9": [14, 14, 15, None, None, None, None, None, None, None],
            "status": [
                "present",
                "present",
                "present",
                "absent",
                "absent",
                None,
                None,
                None,
                None,
                None,
            ],
            "cohesion": [None, 4.5, 3.0, None, None, None, None, None, None, None],
        },
        staying={"phq9": [14] * 10, "cohesion": STEADY_COHESION},
    )
    risk = flags[flags["kind"] == "dropout_risk"]
    assert set(risk["member_id"]) == {"leaving"}
    codes = {r["code"] for reasons in risk["reasons"] for r in reasons}
    assert {"dropout_absent_now", "dropout_unanswered_now"} <= codes
    assert (risk["score"] >= 0.15).all()


def test_a_dropout_flag_says_its_chance_first_then_what_pushed_it() -> None:
    flags = flags_for(
        leaving={
            "phq9": [14, 14, 15, None, None, None, None, None, None, None],
            "status": ["present"] * 3 + ["absent"] * 2 + [None] * 5,
            "cohesion": [None, 4.5, 3.0, None, None, None, None, None, None, None],
        },
    )
    risk = flags[flags["kind"] == "dropout_risk"]
    assert len(risk)
    for score, reasons in zip(risk["score"], risk["reasons"], strict=True):
        chance, *pushes = reasons
        assert chance["code"] == "dropout_chance"
        assert abs(chance["percent"] - 100 * score) <= 1  # the shown chance is the model's
        assert pushes
        assert all(p["code"].startswith("dropout_") for p in pushes)


def test_group_signal_for_low_response() -> None:
    members = {
        f"m{i}": {"phq9": [14, 14, 14, None, None, None, 14, 14, 14, 14] if i < 3 else [14] * 10}
        for i in range(5)
    }
    flags = replay(frames_for(members)).flags
    low = flags[flags["kind"] == "low_response"]
    assert sorted(low["session_no"]) == [4, 5, 6]
    assert low["member_id"].isna().all()

"""The anonymous group summary: means per session, withheld below four answers."""

from __future__ import annotations

import math

import pandas as pd

from rom.analytics.group_feedback import change_since_previous, group_summary


def _answers(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["session_no", "member", "scale", "value"])


def test_a_session_with_four_answers_shows_the_means() -> None:
    rows = [(1, m, "cohesion", v) for m, v in zip("abcd", (2.0, 3.0, 4.0, 5.0), strict=True)]
    summary = group_summary(_answers(rows), [1])
    assert summary.loc[0, "cohesion"] == 3.5
    assert summary.loc[0, "answered"] == 4
    assert bool(summary.loc[0, "shown"])


def test_three_answers_are_withheld_and_the_count_still_says_why() -> None:
    rows = [(1, m, "cohesion", 6.0) for m in "abc"] + [(2, m, "cohesion", 1.0) for m in "abcde"]
    summary = group_summary(_answers(rows), [1, 2, 3]).set_index("session_no")
    assert math.isnan(summary.loc[1, "cohesion"])
    assert not summary.loc[1, "shown"]
    assert summary.loc[1, "answered"] == 3
    assert summary.loc[2, "cohesion"] == 1.0
    assert summary.loc[3, "answered"] == 0  # a session without answers is listed, empty


def test_each_scale_is_withheld_on_its_own_count() -> None:
    rows = [(1, m, "cohesion", 4.0) for m in "abcd"] + [(1, m, "conflict", 5.0) for m in "ab"]
    summary = group_summary(_answers(rows), [1])
    assert summary.loc[0, "cohesion"] == 4.0
    assert math.isnan(summary.loc[0, "conflict"])


def test_a_member_answering_twice_counts_once() -> None:
    rows = [(1, m, "cohesion", 2.0) for m in "abc"] + [(1, "c", "cohesion", 2.0)]
    assert not group_summary(_answers(rows), [1]).loc[0, "shown"]


def test_change_since_previous_skips_withheld_sessions() -> None:
    rows = [(s, m, "engagement", float(s)) for s in (1, 3) for m in "abcd"]
    rows += [(2, m, "engagement", 9.0) for m in "ab"]
    change = change_since_previous(group_summary(_answers(rows), [1, 2, 3])).set_index("scale")
    assert (change.loc["engagement", "latest"], change.loc["engagement", "previous"]) == (3.0, 1.0)
    assert math.isnan(change.loc["cohesion", "latest"])

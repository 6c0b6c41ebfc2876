"""The backtest says whether a shown dropout risk means what it says, and how early the signals
come (inline frames; no app, no database)."""

from __future__ import annotations

import pandas as pd
import pytest

from rom.analytics.backtest import calibration, lead_times

TRUTH_COLUMNS = ["member_id", "group_id", "outcome", "dropout_session", "response_class"]


def _panel(rows: list[tuple[str, int]]) -> pd.DataFrame:
    """Member-sessions of one group, each member's own session equal to the group's."""
    frame = pd.DataFrame(rows, columns=["member_id", "session_no"])
    return frame.assign(group_id="G1", own_session=frame["session_no"])


def test_a_shown_risk_is_compared_with_how_many_dropped_out_within_three_sessions() -> None:
    members = [f"M{n}" for n in range(10)]
    panel = _panel([(m, 1) for m in members])
    dropped = {"M0": 3, "M1": 4, "M2": 2, "M3": 6}  # M3 leaves later than three sessions on
    truth = pd.DataFrame(
        [
            (m, "G1", "dropped_out" if m in dropped else "completed", dropped.get(m), "responder")
            for m in members
        ],
        columns=TRUTH_COLUMNS,
    )
    shown = pd.Series(0.35, index=panel.index)
    result = calibration(shown, panel, truth)
    [only] = result.bins
    assert (only.low, only.high, only.count) == (pytest.approx(0.3), pytest.approx(0.4), 10)
    assert only.shown == pytest.approx(0.35)
    assert only.observed == pytest.approx(0.3)
    assert result.brier == pytest.approx((3 * 0.65**2 + 7 * 0.35**2) / 10)
    assert result.base_rate_brier == pytest.approx((3 * 0.7**2 + 7 * 0.3**2) / 10)


def test_lead_times_count_from_the_first_flag_before_the_dropout() -> None:
    panel = _panel(
        [(m, s) for m in ("A", "B", "C") for s in range(1, 6)]
        + [(m, s) for m in ("N1", "N2", "R") for s in range(1, 8)]
    )
    truth = pd.DataFrame(
        [
            ("A", "G1", "dropped_out", 6, "responder"),
            ("B", "G1", "dropped_out", 5, "responder"),
            ("C", "G1", "dropped_out", 3, "responder"),
            ("N1", "G1", "completed", None, "non_responder"),
            ("N2", "G1", "completed", None, "deteriorator"),
            ("R", "G1", "completed", None, "responder"),
        ],
        columns=TRUTH_COLUMNS,
    )
    flags = pd.DataFrame(
        [
            ("A", 2, "dropout_risk"),
            ("A", 4, "dropout_risk"),
            ("B", 4, "dropout_risk"),
            ("C", 5, "dropout_risk"),  # after C left: not a warning
            ("N1", 4, "not_on_track"),
            ("N2", 6, "deterioration"),
            ("R", 3, "not_on_track"),
        ],
        columns=["member_id", "session_no", "kind"],
    ).assign(group_id="G1")
    times = lead_times(flags, panel, truth)
    assert times.dropouts_flagged_ahead == 2
    assert times.dropout_sessions_ahead == pytest.approx(2.5)  # A: 4 sessions, B: 1
    assert times.non_responders == 2
    assert times.non_responders_by_fourth == pytest.approx(0.5)  # N1 by the 4th, N2 later

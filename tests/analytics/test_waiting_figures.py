"""Waiting list and capacity figures on small frames."""

from __future__ import annotations

from datetime import date

import pandas as pd

from rom.reports.summary import Period
from rom.reports.waiting import waiting_figures

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
TODAY = date(2026, 6, 30)


def _referrals() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("skills", "2026-01-10", "placed", "2026-02-09"),  # 30 days
            ("skills", "2026-02-01", "placed", "2026-03-13"),  # 40 days
            ("psychotherapy", "2026-03-01", "waiting", None),
            (None, "2026-05-01", "waiting", None),
            ("skills", "2026-06-01", "placed", "2026-07-06"),  # starts after the period
            ("skills", "2026-08-01", "waiting", None),  # referred after the period
        ],
        columns=["kind", "referred_on", "status", "first_session_date"],
    )


def _sessions() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("G1", 1, pd.Timestamp("2026-02-09"), True),
            ("G1", 2, pd.Timestamp("2026-02-16"), True),
            ("G2", 1, pd.Timestamp("2026-04-06"), False),  # never held: could not start
            ("G3", 1, pd.Timestamp("2026-07-06"), False),  # due after today: not counted
        ],
        columns=["group_id", "session_no", "date", "held"],
    )


def _roster() -> pd.DataFrame:
    return pd.DataFrame(
        [("G1", "A", 1, None), ("G1", "B", 1, 1), ("G1", "C", 2, None)],
        columns=["group_id", "member_id", "joined_session", "left_session"],
    )


def test_waiting_placed_fill_rate_and_groups_that_could_not_start() -> None:
    groups = pd.DataFrame({"group_id": ["G1", "G2", "G3"], "intended_size": [4, 8, 8]})
    figures = waiting_figures(_referrals(), groups, _roster(), _sessions(), PERIOD, TODAY)
    assert figures.waiting_by_kind == {"any": 1, "psychotherapy": 1, "skills": 1}
    assert figures.waiting == 3
    assert figures.placed == 2
    assert figures.median_days_to_first_session == 35.0
    # G1 offered 4 places at each of its two sessions; A and B at the first, A and C after
    assert figures.fill_rate == 4 / 8
    assert figures.groups_not_started == 1

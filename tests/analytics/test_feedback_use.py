"""'Feedback used' figures of the organisation report and the management dashboard, on small
frames: flags acted on by the next session (its wrap-up included), the median time to action,
sessions whose briefing was opened in time."""

from __future__ import annotations

from datetime import date

import pandas as pd

from questionnaires import load_library
from rom.analytics.panel import empty_panel
from rom.reports.summary import Period, ReportInputs, organisation_summary


def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def _inputs(flags: list[tuple], briefings: list[tuple]) -> ReportInputs:
    sessions = pd.DataFrame(
        [
            ("G1", 1, _day("2026-03-02"), True),
            ("G1", 2, _day("2026-03-09"), True),
            ("G1", 3, _day("2026-03-16"), True),
            ("G1", 4, _day("2026-03-23"), False),  # planned, not yet held
        ],
        columns=["group_id", "session_no", "date", "held"],
    )
    flag_frame = pd.DataFrame(
        [
            (
                "G1",
                "M1",
                "dropout_risk",
                "medium",
                "open",
                raised,
                _day(raised_at),
                None if acted is None else _day(acted),
                None if acted is None else _day(acted[:10]),
                None,
            )
            for raised, raised_at, acted in flags
        ],
        columns=[
            "group_id",
            "member_id",
            "kind",
            "severity",
            "status",
            "raised_session",
            "raised_at",
            "acknowledged_at",
            "acknowledged_day",
            "action",
        ],
    )
    for column in ("raised_at", "acknowledged_at", "acknowledged_day"):
        flag_frame[column] = pd.to_datetime(flag_frame[column])
    return ReportInputs(
        groups=pd.DataFrame([("G1", "Groep", "skills")], columns=["group_id", "name", "kind"]),
        therapists=pd.DataFrame([("G1", "Anna")], columns=["group_id", "therapist"]),
        roster=pd.DataFrame(
            columns=["group_id", "member_id", "joined_session", "left_session", "leave_reason"]
        ),
        sessions=sessions,
        panel=empty_panel(),
        flags=flag_frame,
        briefings=pd.DataFrame(briefings, columns=["group_id", "session_no", "opened_day"]),
    )


def _total(inputs: ReportInputs):
    scale = load_library()["phq9"].scale("total")
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    return organisation_summary(inputs, period, scale).total


def test_a_flag_counts_as_acted_on_when_acknowledged_by_the_next_sessions_day() -> None:
    total = _total(
        _inputs(
            flags=[
                (1, "2026-03-03 08:00", "2026-03-09 12:30"),  # in the wrap-up of session 2
                (1, "2026-03-03 08:00", "2026-03-10 09:00"),  # the day after session 2: late
                (2, "2026-03-10 08:00", None),  # session 3 came and went: not acted on
                (3, "2026-03-17 08:00", None),  # the group has not met again: not due yet
            ],
            briefings=[],
        )
    )
    assert total.flags_raised == 4
    assert total.flags_due == 3
    assert total.acted_by_next_session == 1 / 3
    waits = (6 + 4.5 / 24, 7 + 1 / 24)  # days from flag to action of the two acted on
    assert abs(total.median_days_to_acknowledge - sum(waits) / 2) < 1e-9


def test_a_briefing_counts_when_opened_at_the_latest_on_the_sessions_day() -> None:
    total = _total(
        _inputs(
            flags=[],
            briefings=[
                ("G1", 1, _day("2026-03-01")),  # the evening before
                ("G1", 2, _day("2026-03-09")),  # the morning of
                ("G1", 3, _day("2026-03-18")),  # two days after: too late to prepare
                ("G1", 4, _day("2026-03-20")),  # not held yet: not counted
            ],
        )
    )
    assert total.sessions_held == 3
    assert total.briefings_opened == 2 / 3


def test_without_flags_or_sessions_the_figures_say_nothing_rather_than_zero() -> None:
    total = _total(_inputs(flags=[], briefings=[]))
    assert total.acted_by_next_session is None
    assert total.briefings_opened == 0.0

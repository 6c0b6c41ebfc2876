"""The quarters and years a manager picks a report for, as of any day."""

from __future__ import annotations

from datetime import date

import pytest

from rom.reports.periods import presets


@pytest.mark.parametrize(
    ("today", "quarter", "previous"),
    [
        (
            date(2026, 12, 2),
            (date(2026, 10, 1), date(2026, 12, 2)),
            (date(2026, 7, 1), date(2026, 9, 30)),
        ),
        (
            date(2026, 1, 15),
            (date(2026, 1, 1), date(2026, 1, 15)),
            (date(2025, 10, 1), date(2025, 12, 31)),
        ),
        (
            date(2026, 4, 1),
            (date(2026, 4, 1), date(2026, 4, 1)),
            (date(2026, 1, 1), date(2026, 3, 31)),
        ),
    ],
)
def test_this_and_the_previous_quarter_and_year(today, quarter, previous) -> None:
    running, last, this_year, last_year = presets(today)
    assert (running.start, running.end, running.running) == (*quarter, True)
    assert (last.start, last.end, last.running) == (*previous, False)
    assert (this_year.start, this_year.end) == (date(today.year, 1, 1), today)
    assert (last_year.start, last_year.end) == (
        date(today.year - 1, 1, 1),
        date(today.year - 1, 12, 31),
    )

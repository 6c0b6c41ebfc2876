"""Periods a manager asks reports for: quarters and years, as of today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Preset:
    kind: str  # "quarter" or "year"
    year: int
    quarter: int | None  # 1-4 for a quarter
    start: date
    end: date  # inclusive; today for the one running
    running: bool


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _quarter(start: date, today: date) -> Preset:
    following = date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)
    end = following - timedelta(days=1)
    number = (start.month - 1) // 3 + 1
    return Preset("quarter", start.year, number, start, min(end, today), end >= today)


def presets(today: date) -> list[Preset]:
    """This quarter so far, the previous quarter, this year so far and the previous year."""
    this_quarter = _quarter_start(today)
    previous_quarter = _quarter_start(this_quarter - timedelta(days=1))
    return [
        _quarter(this_quarter, today),
        _quarter(previous_quarter, today),
        Preset("year", today.year, None, date(today.year, 1, 1), today, True),
        Preset(
            "year",
            today.year - 1,
            None,
            date(today.year - 1, 1, 1),
            date(today.year - 1, 12, 31),
            False,
        ),
    ]

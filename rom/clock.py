"""Conversions between the organisation's local time and the UTC the database stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def to_utc(local: datetime, timezone: str) -> datetime:
    """A naive local wall-clock time as naive UTC."""
    aware = local.replace(tzinfo=ZoneInfo(timezone))
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime, timezone: str) -> datetime:
    """A naive UTC time as naive local wall-clock time."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def session_start(day: date, at: time | None, timezone: str) -> datetime:
    return to_utc(datetime.combine(day, at or time(0, 0)), timezone)

"""Conversions between the organisation's local time and the UTC the database stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def to_utc(local: datetime, timezone: str) -> datetime:
    """A naive local wall-clock time as naive UTC."""
    aware = local.replace(tzinfo=ZoneInfo(timezone))
    return aware.astimezone(UTC).replace(tzinfo=None)


def to_local(utc: datetime, timezone: str) -> datetime:
    """A naive UTC time as naive local wall-clock time."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def session_start(day: date, at: time | None, timezone: str) -> datetime:
    return to_utc(datetime.combine(day, at or time(0, 0)), timezone)


def today_in(timezone: str) -> date:
    """The calendar date it is now in the timezone (the server itself may run on UTC)."""
    return datetime.now(ZoneInfo(timezone)).date()


def organisation_today() -> date:
    """Today where the organisation is (TIMEZONE): session dates are local dates, so reports,
    waiting times and refits count days the same way (after local midnight the UTC date lags)."""
    return today_in(current_app.config["TIMEZONE"])

"""Waiting list and capacity figures for managers (pure pandas: no Flask, no SQL).

Definitions (the organisation report prints them):
- waiting: referrals still waiting at the end of the period, per wished kind of group;
- time to first session: for clients placed whose first session fell in the period, the days
  from referral to that session (median);
- fill rate: of the places offered at the sessions held in the period (each group's intended
  size at each held session), the share taken by members;
- groups that could not start: groups whose first session was due in the period (before today)
  but was never held.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd

from rom.analytics.columns import DATE, GROUP, HELD, JOINED, LEFT, MEMBER, SESSION
from rom.reports.summary import Period

ANY_KIND = "any"


@dataclass(frozen=True)
class WaitingFigures:
    waiting_by_kind: dict[str, int]
    placed: int
    median_days_to_first_session: float | None
    fill_rate: float | None
    groups_not_started: int

    @property
    def waiting(self) -> int:
        return sum(self.waiting_by_kind.values())

    def as_record(self) -> dict[str, Any]:
        """The figures as JSON-ready data, for figures prepared ahead."""
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> WaitingFigures:
        """The figures as `as_record` wrote them."""
        return cls(**record)


def waiting_figures(
    referrals: pd.DataFrame,
    groups: pd.DataFrame,
    roster: pd.DataFrame,
    sessions: pd.DataFrame,
    period: Period,
    today: date,
) -> WaitingFigures:
    """referrals: kind (None: any), referred_on, status, first_session_date (NaT until placed);
    groups: group_id, intended_size; roster and sessions as in the other reports."""
    end = pd.Timestamp(period.end)
    referred = pd.to_datetime(referrals["referred_on"])
    first = pd.to_datetime(referrals["first_session_date"])
    waiting = referrals[(referred <= end) & ((referrals["status"] == "waiting") | (first > end))]
    by_kind = waiting["kind"].fillna(ANY_KIND).value_counts().sort_index()
    started = period.contains(first.dropna())
    placed = referrals.loc[started[started].index]
    days = (first[placed.index] - referred[placed.index]).dt.days
    return WaitingFigures(
        waiting_by_kind={str(k): int(v) for k, v in by_kind.items()},
        placed=len(placed),
        median_days_to_first_session=float(days.median()) if len(days) else None,
        fill_rate=_fill_rate(groups, roster, sessions, period),
        groups_not_started=_not_started(sessions, period, today),
    )


def _fill_rate(
    groups: pd.DataFrame, roster: pd.DataFrame, sessions: pd.DataFrame, period: Period
) -> float | None:
    held = sessions[sessions[HELD] & period.contains(sessions[DATE])]
    if held.empty:
        return None
    offered = held.merge(groups[[GROUP, "intended_size"]], on=GROUP)["intended_size"].sum()
    pairs = held[[GROUP, SESSION]].merge(roster[[GROUP, MEMBER, JOINED, LEFT]], on=GROUP)
    left = pd.to_numeric(pairs[LEFT], errors="coerce")
    member = (pairs[JOINED] <= pairs[SESSION]) & (left.isna() | (left >= pairs[SESSION]))
    return float(member.sum() / offered) if offered else None


def _not_started(sessions: pd.DataFrame, period: Period, today: date) -> int:
    firsts = sessions[sessions[SESSION] == 1]
    due = firsts[period.contains(firsts[DATE]) & (firsts[DATE] < pd.Timestamp(today))]
    never = ~due.groupby(GROUP)[HELD].any()
    return int(never.sum())

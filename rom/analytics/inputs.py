"""The frames analytics works on, and how to build them from bundle-shaped tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from questionnaires import Library, critical_frame, score_frame
from rom.analytics.columns import (
    DATE,
    FORMAT,
    GROUP,
    HELD,
    INSTRUMENT,
    ITEM,
    JOINED,
    LEAVE_REASON,
    LEFT,
    MEMBER,
    PLANNED,
    SCALE,
    SESSION,
    STATUS,
    VALUE,
)


@dataclass(frozen=True)
class KeyNames:
    """The codes behind numbered group and member keys: number n stands for groups[n] or
    members[n]. Numbers follow the order of the codes, so anything sorted or grouped by them
    comes out as it would by the codes."""

    groups: np.ndarray
    members: np.ndarray

    def named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame with codes in place of its group and member numbers (a group's own row,
        without a member, keeps None)."""
        named = frame.copy()
        if GROUP in frame:
            codes = self.groups[frame[GROUP].to_numpy(dtype=np.int64)]
            named[GROUP] = pd.Series(codes, index=frame.index, dtype=str)
        if MEMBER in frame:
            numbers = frame[MEMBER].to_numpy()
            known = ~pd.isna(numbers)
            codes = np.full(len(numbers), None, dtype=object)
            codes[known] = self.members[numbers[known].astype(np.int64)]
            text = str if known.all() else object  # text keeps no None
            named[MEMBER] = pd.Series(codes, index=frame.index, dtype=text)
        return named


@dataclass(frozen=True)
class Frames:
    """groups: group_id, format, planned_sessions; roster: group_id, member_id, joined_session,
    left_session, leave_reason; sessions: group_id, session_no, date, held; attendance:
    group_id, member_id, session_no, status; scores: group_id, member_id, session_no,
    instrument, scale, value; critical: group_id, member_id, session_no, instrument, item, value.
    Group and member ids are codes, or numbers that stand for them (see KeyNames).
    """

    groups: pd.DataFrame
    roster: pd.DataFrame
    sessions: pd.DataFrame
    attendance: pd.DataFrame
    scores: pd.DataFrame
    critical: pd.DataFrame

    def until(self, last_day: pd.Timestamp) -> Frames:
        """The same data cut after a day, as it stood then (for no-look-ahead checks)."""
        sessions = self.sessions[self.sessions[DATE] <= last_day]
        keep = sessions[[GROUP, SESSION]]
        return Frames(
            groups=self.groups,
            roster=self.roster,
            sessions=sessions,
            attendance=self.attendance.merge(keep, on=[GROUP, SESSION]),
            scores=self.scores.merge(keep, on=[GROUP, SESSION]),
            critical=self.critical.merge(keep, on=[GROUP, SESSION]),
        )


def frames_from_tables(tables: dict[str, pd.DataFrame], library: Library) -> Frames:
    """Bundle tables (as read from the CSV files) → Frames, scoring the responses."""
    groups = tables["groups"].astype({GROUP: str})
    sessions = tables["sessions"].astype({GROUP: str}).copy()
    sessions[DATE] = pd.to_datetime(sessions[DATE])
    sessions[HELD] = sessions[HELD].astype(str).str.lower().eq("true")
    roster = tables["members"].astype({GROUP: str, MEMBER: str})[[GROUP, MEMBER, JOINED]].copy()
    roster[LEFT] = pd.NA
    roster[LEAVE_REASON] = pd.NA
    responses = _with_text_keys(tables["responses"])
    return Frames(
        groups=groups[[GROUP, FORMAT, PLANNED]].copy(),
        roster=roster,
        sessions=sessions[[GROUP, SESSION, DATE, HELD]],
        attendance=tables["attendance"].astype({GROUP: str, MEMBER: str})[
            [GROUP, MEMBER, SESSION, STATUS]
        ],
        scores=score_responses(responses, library),
        critical=critical_responses(responses, library),
    )


def _with_text_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with group and member ids as text, copied only when they are not text already
    (the answers are the largest table: a needless copy doubles the peak memory)."""
    wrong = {c: str for c in (GROUP, MEMBER) if not pd.api.types.is_object_dtype(frame[c])}
    return frame.astype(wrong) if wrong else frame


def score_responses(responses: pd.DataFrame, library: Library) -> pd.DataFrame:
    parts = []
    key = [GROUP, MEMBER, SESSION]
    for instrument_id, part in responses.groupby(INSTRUMENT):
        scored = score_frame(library[str(instrument_id)], part, by=key)
        scored[INSTRUMENT] = instrument_id
        parts.append(scored[[*key, INSTRUMENT, SCALE, VALUE]])
    return pd.concat(parts, ignore_index=True).dropna(subset=[VALUE])


def critical_responses(responses: pd.DataFrame, library: Library) -> pd.DataFrame:
    parts = [
        critical_frame(library[str(instrument_id)], part)
        for instrument_id, part in responses.groupby(INSTRUMENT)
    ]
    columns = [GROUP, MEMBER, SESSION, INSTRUMENT, ITEM, VALUE]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)

"""Which memberships had ended by a date, how, and when: what refits may learn from then."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rom.analytics.columns import (
    DATE,
    FORMAT,
    GROUP,
    HELD,
    LEAVE_REASON,
    LEFT,
    MEMBER,
    PLANNED,
    SESSION,
)
from rom.analytics.inputs import Frames


def endings(frames: Frames, panel: pd.DataFrame) -> pd.DataFrame:
    """Per membership: ended_on (date the case closed, NaT if open) and dropout_session.

    A recorded end counts from its session's date. Otherwise a case closes when its group's
    last planned session has taken place; in a closed group a member whose rows stop before
    the group's last held session dropped out at the next held session. In slow-open groups
    members leave after their own course, so without a recorded reason no dropout is inferred.
    """
    last_row = panel.groupby([GROUP, MEMBER])[SESSION].max().rename("last_seen").reset_index()
    cases = frames.roster.merge(last_row, on=[GROUP, MEMBER], how="inner")
    cases = cases.merge(frames.groups[[GROUP, FORMAT, PLANNED]], on=GROUP, how="left")
    cases = cases.merge(_group_end(frames), on=GROUP, how="left")
    recorded = _recorded_end(cases, frames.sessions)
    inferred_dropout = (cases[FORMAT] == "closed") & (cases["last_seen"] < cases["last_held"])
    next_held = _next_held_after(frames.sessions, cases)
    dropout = pd.Series(np.nan, index=cases.index)
    dropout[inferred_dropout] = next_held[inferred_dropout]
    recorded_dropout = cases[LEAVE_REASON].astype(object).eq("dropped_out")
    dropout[recorded_dropout] = cases.loc[recorded_dropout, LEFT].astype(float)
    ended_on = recorded.fillna(cases["group_ended_on"])
    known_outcome = recorded.notna() | (cases[FORMAT] == "closed")
    return pd.DataFrame(
        {
            GROUP: cases[GROUP],
            MEMBER: cases[MEMBER],
            "ended_on": ended_on,
            "dropout_session": dropout.where(known_outcome),
            "outcome_known": known_outcome,
        }
    )


def _group_end(frames: Frames) -> pd.DataFrame:
    sessions = frames.sessions.merge(frames.groups[[GROUP, PLANNED]], on=GROUP)
    final = sessions[sessions[SESSION] == sessions[PLANNED]].set_index(GROUP)[DATE]
    last_held = sessions[sessions[HELD]].groupby(GROUP)[SESSION].max()
    return pd.DataFrame({"group_ended_on": final, "last_held": last_held}).reset_index(names=GROUP)


def _recorded_end(cases: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    left = cases[[GROUP, LEFT]].rename(columns={LEFT: SESSION})
    left[SESSION] = pd.to_numeric(left[SESSION], errors="coerce")
    dated = left.merge(sessions[[GROUP, SESSION, DATE]], on=[GROUP, SESSION], how="left")
    return pd.Series(dated[DATE].to_numpy(), index=cases.index)


def _next_held_after(sessions: pd.DataFrame, cases: pd.DataFrame) -> pd.Series:
    held = sessions[sessions[HELD]][[GROUP, SESSION]].sort_values([GROUP, SESSION])
    merged = cases[[GROUP, "last_seen"]].reset_index().merge(held, on=GROUP)
    later = merged[merged[SESSION] > merged["last_seen"]]
    first = later.groupby("index")[SESSION].min()
    return first.reindex(cases.index)


def closed_before(cases: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    return cases[cases["ended_on"] < day]

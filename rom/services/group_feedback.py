"""Climate and cohesion answers of a group's sessions, for the briefing's trend and for the
anonymous summary therapists may show in the group."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa

from rom.analytics.columns import MEASURES
from rom.analytics.group_feedback import SCALES, change_since_previous, group_summary
from rom.extensions import db
from rom.models import Group, GroupSession, Response, Score, SessionStatus, utcnow

SHOWN_SESSIONS = 8


@dataclass(frozen=True)
class GroupFeedback:
    group: Group
    summary: pd.DataFrame  # per session: answered, means (NaN where withheld), shown
    change: pd.DataFrame  # per scale: latest and previous shown mean


def held_sessions(group_id: int, before: int | None, now: datetime) -> list[GroupSession]:
    """The group's sessions that have taken place (before session number `before`), oldest
    first."""
    query = sa.select(GroupSession).where(
        GroupSession.group_id == group_id,
        GroupSession.status != SessionStatus.CANCELLED,
        GroupSession.planned_start <= now,
    )
    if before is not None:
        query = query.where(GroupSession.number < before)
    return list(db.session.scalars(query.order_by(GroupSession.number)))


def climate_answers(sessions: list[GroupSession]) -> pd.DataFrame:
    """One row per member, session and climate or cohesion scale with the member's score."""
    numbers = {s.id: s.number for s in sessions}
    wanted = {MEASURES[c]: c for c in SCALES}
    rows = db.session.execute(
        sa.select(
            Response.session_id,
            Response.membership_id,
            Response.instrument_id,
            Score.scale,
            Score.value,
        )
        .join(Score, Score.response_id == Response.id)
        .where(
            Response.session_id.in_(numbers),
            Response.instrument_id.in_({i for i, _ in wanted}),
            Score.value.is_not(None),
        )
    ).all()
    return pd.DataFrame(
        [
            (numbers[s], m, wanted[(i, scale)], float(value))
            for s, m, i, scale, value in rows
            if (i, scale) in wanted
        ],
        columns=["session_no", "member", "scale", "value"],
    )


def group_feedback(group: Group, now: datetime | None = None) -> GroupFeedback:
    """The anonymous summary of the group's last held sessions."""
    sessions = held_sessions(group.id, None, now or utcnow())[-SHOWN_SESSIONS:]
    summary = group_summary(climate_answers(sessions), [s.number for s in sessions])
    return GroupFeedback(group=group, summary=summary, change=change_since_previous(summary))

"""A member's scale scores as they were stored: one read for the member page and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from rom.extensions import db
from rom.models import Group, GroupSession, Response, Score


@dataclass(frozen=True)
class ScaleScore:
    group: str  # the group's code
    session: int
    instrument: str
    scale: str
    value: float | None


def member_scores(membership_ids: Sequence[int]) -> list[ScaleScore]:
    """Every scale score of these memberships, in the order they were answered."""
    rows = db.session.execute(
        sa.select(Group.code, GroupSession.number, Response.instrument_id, Score.scale, Score.value)
        .join(Score, Score.response_id == Response.id)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .where(Response.membership_id.in_(membership_ids))
        .order_by(Response.completed_at, Response.instrument_id, Score.scale)
    ).all()
    return [ScaleScore(*row) for row in rows]

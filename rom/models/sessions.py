from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type

if TYPE_CHECKING:
    from rom.models.groups import Group


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class GroupSession(Base):
    __tablename__ = "group_sessions"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    number: Mapped[int]
    planned_start: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus), default=SessionStatus.PLANNED
    )
    questionnaires_closed_at: Mapped[datetime | None] = mapped_column(
        doc="When every invitation of the session was answered or had expired and the flags "
        "were recomputed with its answers."
    )

    group: Mapped[Group] = relationship()

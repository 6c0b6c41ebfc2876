from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type

if TYPE_CHECKING:
    from rom.models.clients import Client
    from rom.models.groups import Group


class LeaveReason(enum.StrEnum):
    COMPLETED = "completed"
    DROPPED_OUT = "dropped_out"
    STEPPED_UP = "stepped_up"
    STEPPED_DOWN = "stepped_down"
    MOVED = "moved"


class Membership(Base):
    """A client in a group, from the session they joined until they left (and why)."""

    __tablename__ = "memberships"
    __table_args__ = (
        sa.Index(
            "uq_memberships_current",
            "client_id",
            "group_id",
            unique=True,
            sqlite_where=sa.text("left_session IS NULL"),
            postgresql_where=sa.text("left_session IS NULL"),
        ),
        sa.CheckConstraint("joined_session >= 1", name="joined_session_positive"),
        sa.CheckConstraint(
            "left_session IS NULL OR left_session >= joined_session", name="left_after_joined"
        ),
        sa.CheckConstraint(
            "(left_session IS NULL) = (leave_reason IS NULL)", name="left_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"), index=True)
    joined_session: Mapped[int] = mapped_column(default=1)
    joined_on: Mapped[date | None]
    left_session: Mapped[int | None]
    left_on: Mapped[date | None]
    leave_reason: Mapped[LeaveReason | None] = mapped_column(enum_type(LeaveReason))

    client: Mapped[Client] = relationship()
    group: Mapped[Group] = relationship()


def in_group_at(group_id: int, number: int) -> sa.ColumnElement[bool]:
    """SQL: the membership belongs to the group at its session `number` (joined by then, not
    left before it)."""
    return sa.and_(
        Membership.group_id == group_id,
        Membership.joined_session <= number,
        sa.or_(Membership.left_session.is_(None), Membership.left_session >= number),
    )

from __future__ import annotations

import enum
from datetime import date, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type
from rom.models.clients import Language

if TYPE_CHECKING:
    from rom.models.batteries import Battery
    from rom.models.staff import StaffUser


class GroupKind(enum.StrEnum):
    PSYCHOTHERAPY = "psychotherapy"
    PSYCHOEDUCATION = "psychoeducation"
    SKILLS = "skills"
    ART_PSYCHOMOTOR = "art_psychomotor"
    RECOVERY = "recovery"
    FAMILY_SYSTEM = "family_system"


class GroupFormat(enum.StrEnum):
    CLOSED = "closed"
    SLOW_OPEN = "slow_open"


group_therapists = sa.Table(
    "group_therapists",
    Base.metadata,
    sa.Column("group_id", sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("staff_id", sa.ForeignKey("staff_users.id"), primary_key=True),
)


class Group(Base):
    __tablename__ = "groups"
    __table_args__ = (
        sa.CheckConstraint("planned_sessions > 0", name="planned_sessions_positive"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("intended_size > 0", name="intended_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[GroupKind] = mapped_column(enum_type(GroupKind))
    format: Mapped[GroupFormat] = mapped_column(enum_type(GroupFormat))
    planned_sessions: Mapped[int]
    intended_size: Mapped[int] = mapped_column(default=8)
    minimum_size: Mapped[int] = mapped_column(default=4, server_default="4")
    language: Mapped[Language] = mapped_column(
        enum_type(Language), default=Language.NL, server_default=Language.NL.value
    )
    start_date: Mapped[date]
    weekday: Mapped[int | None]
    start_time: Mapped[time | None]
    battery_id: Mapped[int | None] = mapped_column(sa.ForeignKey("batteries.id"))
    member_feedback: Mapped[bool] = mapped_column(default=False)
    ask_topic: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        doc="Members are asked what they would like to bring up in the group (therapists only).",
    )

    therapists: Mapped[list[StaffUser]] = relationship(secondary=group_therapists)
    battery: Mapped[Battery | None] = relationship()

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type, utcnow

if TYPE_CHECKING:
    from rom.models.staff import StaffUser


class FlagKind(enum.StrEnum):
    CRITICAL_ITEM = "critical_item"
    DETERIORATION = "deterioration"
    NOT_ON_TRACK = "not_on_track"
    DROPOUT_RISK = "dropout_risk"
    RECOVERED = "recovered"
    GROUP_CLIMATE = "group_climate"
    COHESION_FALLING = "cohesion_falling"
    MANY_FLAGGED = "many_flagged"
    LOW_RESPONSE = "low_response"


class Severity(enum.StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class FlagAction(enum.StrEnum):
    STEP_UP = "step_up"
    STEP_DOWN = "step_down"
    CONTACT = "contact"
    DISCUSS_IN_TEAM = "discuss_in_team"
    DISCUSSED_IN_GROUP = "discussed_in_group"
    DISCUSSED_ONE_TO_ONE = "discussed_one_to_one"
    NO_ACTION = "no_action"


class Flag(Base):
    """A signal about a member (or a whole group) for one episode: raised, updated, resolved."""

    __tablename__ = "flags"
    __table_args__ = (
        sa.Index("ix_flags_group_status", "group_id", "status"),
        sa.CheckConstraint(
            "(acknowledged_at IS NULL) = (action IS NULL)", name="acknowledged_has_action"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id"))
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id"), index=True)
    kind: Mapped[FlagKind] = mapped_column(enum_type(FlagKind))
    severity: Mapped[Severity] = mapped_column(enum_type(Severity))
    score: Mapped[float | None]
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    suggested_action: Mapped[str] = mapped_column(sa.String(40))
    raised_session: Mapped[int]
    last_session: Mapped[int]
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[FlagStatus] = mapped_column(enum_type(FlagStatus), default=FlagStatus.OPEN)
    resolved_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"))
    acknowledged_at: Mapped[datetime | None]
    action: Mapped[FlagAction | None] = mapped_column(enum_type(FlagAction))
    note: Mapped[str | None] = mapped_column(sa.Text)

    acknowledged_by: Mapped[StaffUser | None] = relationship()

    @property
    def state(self) -> str:
        """'resolved' when the episode ended, 'acted_on' when an action was recorded, else
        'open': the one state every page shows."""
        if self.status == FlagStatus.RESOLVED:
            return "resolved"
        return "acted_on" if self.acknowledged_at is not None else "open"

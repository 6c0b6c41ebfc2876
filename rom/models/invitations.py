from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, utcnow

if TYPE_CHECKING:
    from rom.models.memberships import Membership
    from rom.models.sessions import GroupSession


TOPIC_LENGTH = 280


class Invitation(Base):
    """A member's personal link for one session's questionnaires; only the token's hash is kept."""

    __tablename__ = "invitations"
    __table_args__ = (sa.UniqueConstraint("membership_id", "session_id", "battery_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("group_sessions.id"), index=True)
    battery_id: Mapped[int] = mapped_column(sa.ForeignKey("batteries.id"))
    instrument_ids: Mapped[list[str]] = mapped_column(sa.JSON)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    send_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    opened_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime]
    draft: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    topic: Mapped[str | None] = mapped_column(
        sa.String(TOPIC_LENGTH),
        doc="What the member would like to bring up in the group: for the group's therapists only.",
    )

    membership: Mapped[Membership] = relationship()
    session: Mapped[GroupSession] = relationship()

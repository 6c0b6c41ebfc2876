from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, utcnow

if TYPE_CHECKING:
    from rom.models.clients import Client
    from rom.models.memberships import Membership
    from rom.models.referrals import Referral
    from rom.models.sessions import GroupSession


TOPIC_LENGTH = 280


class Invitation(Base):
    """A personal link for questionnaires; only the token's hash is kept. Either a member's, for
    one session (membership, session and battery), or a referred client's, for the intake
    (referral only)."""

    __tablename__ = "invitations"
    __table_args__ = (
        sa.UniqueConstraint("membership_id", "session_id", "battery_id"),
        sa.CheckConstraint(
            "(referral_id IS NULL AND membership_id IS NOT NULL AND session_id IS NOT NULL "
            "AND battery_id IS NOT NULL) OR (referral_id IS NOT NULL AND membership_id IS NULL "
            "AND session_id IS NULL)",
            name="session_or_intake",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id"))
    session_id: Mapped[int | None] = mapped_column(sa.ForeignKey("group_sessions.id"), index=True)
    battery_id: Mapped[int | None] = mapped_column(sa.ForeignKey("batteries.id"))
    referral_id: Mapped[int | None] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
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
    draft_version: Mapped[int] = mapped_column(
        default=0,
        server_default="0",
        doc="Raised by every save of the draft: a save that read an older version merges.",
    )
    topic: Mapped[str | None] = mapped_column(
        sa.String(TOPIC_LENGTH),
        doc="What the member would like to bring up in the group: for the group's therapists only.",
    )

    membership: Mapped[Membership | None] = relationship()
    session: Mapped[GroupSession | None] = relationship()
    referral: Mapped[Referral | None] = relationship()

    @property
    def client(self) -> Client:
        return self.referral.client if self.referral_id else self.membership.client

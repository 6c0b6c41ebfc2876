from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base


class Battery(Base):
    """Which instruments are asked at which sessions, and when links go out, remind and expire."""

    __tablename__ = "batteries"
    __table_args__ = (
        sa.CheckConstraint("reminder_after_hours > 0", name="reminder_positive"),
        sa.CheckConstraint(
            "expires_after_hours > reminder_after_hours", name="expiry_after_reminder"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    send_offset_hours: Mapped[int] = mapped_column(default=2)  # after the session
    reminder_after_hours: Mapped[int] = mapped_column(default=24)
    expires_after_hours: Mapped[int] = mapped_column(default=72)

    instruments: Mapped[list[BatteryInstrument]] = relationship(
        order_by="BatteryInstrument.position", cascade="all, delete-orphan"
    )


class BatteryInstrument(Base):
    """One instrument of a battery: asked from first_session, every `every` sessions."""

    __tablename__ = "battery_instruments"
    __table_args__ = (
        sa.UniqueConstraint("battery_id", "instrument_id"),
        sa.CheckConstraint("first_session >= 1", name="first_session_positive"),
        sa.CheckConstraint("every >= 1", name="every_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    battery_id: Mapped[int] = mapped_column(sa.ForeignKey("batteries.id", ondelete="CASCADE"))
    instrument_id: Mapped[str] = mapped_column(sa.String(40))
    position: Mapped[int] = mapped_column(default=0)
    first_session: Mapped[int] = mapped_column(default=1)
    every: Mapped[int] = mapped_column(default=1)

    def asked_at(self, session_number: int) -> bool:
        offset = session_number - self.first_session
        return offset >= 0 and offset % self.every == 0

"""The organisation's individual treatment volume per calendar year, entered or imported by a
manager: Kring sees only its groups, and the share of group treatment needs the rest."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type, utcnow
from rom.models.staff import StaffUser

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_SESSIONS = 10_000_000  # far above any Dutch provider's yearly contacts; fits every integer


class VolumeSource(enum.StrEnum):
    FORM = "form"
    CSV = "csv"
    API = "api"


class IndividualVolume(Base):
    """Individual treatment contacts (sessions, "consulten") in one calendar year: the same unit
    as Kring's group volume (attended member-sessions), so the group share is
    group / (group + individual)."""

    __tablename__ = "individual_volumes"
    __table_args__ = (
        sa.CheckConstraint(f"year BETWEEN {FIRST_YEAR} AND {LAST_YEAR}", name="year_range"),
        sa.CheckConstraint("sessions >= 0", name="sessions_not_negative"),
    )

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sessions: Mapped[int]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    source: Mapped[VolumeSource] = mapped_column(enum_type(VolumeSource))

    recorded_by: Mapped[StaffUser | None] = relationship(lazy="joined")

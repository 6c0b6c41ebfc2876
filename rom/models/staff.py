from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, enum_type, utcnow


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    MANAGER = "manager"
    ADMIN = "admin"


class StaffUser(UserMixin, Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    recovery_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    totp_last_step: Mapped[int | None]  # the time step of the last code accepted (single use)
    language: Mapped[str] = mapped_column(sa.String(2), default="nl")
    active: Mapped[bool] = mapped_column(default=True)
    intake: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    """Works through the waiting list and sees referrals' intake answers (where the setting
    INTAKE_ACCESS limits that to intake staff)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    @property
    def is_staff(self) -> bool:
        return self.active

    @property
    def is_active(self) -> bool:
        return self.active

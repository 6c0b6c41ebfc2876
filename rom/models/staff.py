from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type, utcnow


class Role(enum.StrEnum):
    THERAPIST = "therapist"
    MANAGER = "manager"
    ADMIN = "admin"


class StaffRole(Base):
    """One role an account holds; an account may hold several (a therapist who also manages)."""

    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_type(Role), primary_key=True)


class StaffUser(UserMixin, Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    role_grants: Mapped[list[StaffRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by=StaffRole.role
    )
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

    def __init__(self, *, roles: Iterable[Role] = (), **columns: object) -> None:
        super().__init__(**columns)
        self.roles = frozenset(roles)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.role_grants)

    @roles.setter
    def roles(self, wanted: Iterable[Role]) -> None:
        """Grant exactly these roles, keeping the grants that stay."""
        wanted = {Role(role) for role in wanted}
        self.role_grants = [g for g in self.role_grants if g.role in wanted] + [
            StaffRole(role=role) for role in sorted(wanted - self.roles)
        ]

    def has_role(self, *roles: Role) -> bool:
        """Whether the account holds any of these roles."""
        return not self.roles.isdisjoint(roles)

    @classmethod
    def holding(cls, role: Role) -> sa.ColumnElement[bool]:
        """SQL: the account holds this role."""
        return cls.id.in_(sa.select(StaffRole.staff_id).where(StaffRole.role == role))

    @property
    def is_staff(self) -> bool:
        return self.active

    @property
    def is_active(self) -> bool:
        return self.active

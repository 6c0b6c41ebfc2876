from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, enum_type, utcnow


class LinkPurpose(enum.StrEnum):
    SETUP = "setup"  # a new account sets its first password
    RESET = "reset"  # a forgotten or reset password


class AccountLink(Base):
    """A one-time link for a staff account to set its password: only the token's SHA-256 is
    stored; it is used once and expires."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_type(LinkPurpose))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

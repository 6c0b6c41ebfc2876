from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, utcnow

SCOPES = (
    "groups:read",
    "sessions:write",
    "attendance:write",
    "memberships:write",
    "scores:read",
    "responses:read",
    "flags:read",
    "volumes:read",
    "volumes:write",
)
ORGANISATION_SCOPES = frozenset({"volumes:read", "volumes:write"})
"""Scopes over the whole organisation, not its groups: a token limited to groups holds none."""


class ApiToken(Base):
    """An integration's key to the API: only its hash is kept; it has scopes, may be limited to
    some groups, expires, and can be revoked."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(sa.JSON)
    group_ids: Mapped[list[int] | None] = mapped_column(sa.JSON)  # None: every group
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class IdempotentReply(Base):
    """The first answer to a write sent with an Idempotency-Key, returned again on a retry."""

    __tablename__ = "idempotent_replies"
    __table_args__ = (sa.UniqueConstraint("token_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(sa.ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(sa.String(200))
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(400))
    status: Mapped[int]
    body: Mapped[Any] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

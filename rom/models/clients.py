from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, enum_type, utcnow


class Language(enum.StrEnum):
    NL = "nl"
    EN = "en"


class Client(Base):
    """A person in group treatment, known to managers and exports only by a pseudonymous code."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    first_name: Mapped[str | None] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    language: Mapped[Language] = mapped_column(enum_type(Language), default=Language.NL)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type, utcnow


class ResponseSource(enum.StrEnum):
    PHONE = "phone"
    IMPORT = "import"
    API = "api"


class Response(Base):
    """One completed administration of one instrument by a member at a session."""

    __tablename__ = "responses"
    __table_args__ = (
        sa.UniqueConstraint("membership_id", "session_id", "instrument_id"),
        sa.UniqueConstraint("invitation_id", "instrument_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(sa.ForeignKey("memberships.id"))
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("group_sessions.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("invitations.id"))
    instrument_id: Mapped[str] = mapped_column(sa.String(40))
    instrument_version: Mapped[str] = mapped_column(sa.String(20))
    completed_at: Mapped[datetime]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[ResponseSource] = mapped_column(enum_type(ResponseSource))

    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan")
    scores: Mapped[list[Score]] = relationship(cascade="all, delete-orphan")


class Answer(Base):
    __tablename__ = "answers"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int]


class Score(Base):
    """A scale score as the questionnaire library computed it when the response was stored."""

    __tablename__ = "scores"

    response_id: Mapped[int] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    scale: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    raw: Mapped[float]
    value: Mapped[float | None]
    items_missing: Mapped[int]
    band: Mapped[str | None] = mapped_column(sa.String(40))

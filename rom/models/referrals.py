from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rom.models.base import Base, enum_type, utcnow
from rom.models.clients import Client, Language
from rom.models.groups import GroupKind


class ReferralStatus(enum.StrEnum):
    WAITING = "waiting"
    PLACED = "placed"
    WITHDRAWN = "withdrawn"


class Decision(enum.StrEnum):
    SUITABLE = "suitable"
    INDIVIDUAL_FIRST = "individual_first"
    NOT_SUITABLE = "not_suitable"


SUITABILITY_FACTORS = (
    "motivation",
    "reflection",
    "social_functioning",
    "language_and_cognition",
)
RATINGS = ("sufficient", "doubtful", "insufficient")
CONTRA_INDICATIONS = ("acute_psychosis", "severe_trauma_symptoms", "overstimulation", "other")


class Referral(Base):
    """A client referred for group treatment, waiting until placed in a group (or withdrawn).
    Availability: "weekday:part" slots (weekday 0 = Monday; morning, afternoon, evening)."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    referred_on: Mapped[date]
    kind: Mapped[GroupKind | None] = mapped_column(enum_type(GroupKind))  # None: any kind
    language: Mapped[Language] = mapped_column(enum_type(Language))
    availability: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    referrer: Mapped[str] = mapped_column(sa.String(120))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ReferralStatus] = mapped_column(
        enum_type(ReferralStatus), default=ReferralStatus.WAITING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    placed_membership_id: Mapped[int | None] = mapped_column(sa.ForeignKey("memberships.id"))
    intake: Mapped[dict[str, Any] | None] = mapped_column(
        sa.JSON, doc="The intake questionnaires as answered by link: answers, scores, when."
    )

    client: Mapped[Client] = relationship()
    assessment: Mapped[Suitability | None] = relationship(back_populates="referral")


class Suitability(Base):
    """The intake therapist's judgement of a referral: the factors, contra-indications and the
    decision with its reason. One per referral; a new judgement replaces it."""

    __tablename__ = "suitability"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referrals.id"), unique=True)
    factors: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    contra_indications: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    decision: Mapped[Decision] = mapped_column(enum_type(Decision))
    reason: Mapped[str] = mapped_column(sa.Text)
    assessed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_users.id"))
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="assessment")

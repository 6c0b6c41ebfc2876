"""The management dashboard's figures for the usual periods, prepared hourly by the scheduler:
over a large organisation they take longer than a dashboard click may."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, utcnow


class PreparedFigures(Base):
    """One period's organisation summary and waiting figures against a baseline year, as
    computed at `prepared_at` (aggregates only: no member's code or answer)."""

    __tablename__ = "prepared_figures"
    __table_args__ = (sa.UniqueConstraint("starts_on", "ends_on", "baseline_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    baseline_year: Mapped[int]
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    waiting: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

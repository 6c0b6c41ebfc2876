"""The management dashboard's figures for the usual periods and its quality section, prepared
hourly by the scheduler: over a large organisation they take longer than a click may."""

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


class PreparedQuality(Base):
    """The management dashboard's quality section against a baseline year, as computed at
    `prepared_at` with the data up to `through`: per group, year and intake band the sums of
    its ended episodes (rom.reports.quality.episode_sums), and per group and year its response
    counts; no member's own figures."""

    __tablename__ = "prepared_quality"

    id: Mapped[int] = mapped_column(primary_key=True)
    baseline_year: Mapped[int] = mapped_column(unique=True)
    through: Mapped[date]
    prepared_at: Mapped[datetime] = mapped_column(default=utcnow)
    episodes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    responses: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

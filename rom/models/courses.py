from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, utcnow


class CourseFit(Base):
    """An expected course as fitted on the platform's closed cases at one moment: the scheduler
    refits it, the web reads the newest (so no request waits for a fit)."""

    __tablename__ = "course_fits"

    id: Mapped[int] = mapped_column(primary_key=True)
    fitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source: Mapped[str] = mapped_column(sa.String(200))
    closed_cases: Mapped[int]
    fractions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)

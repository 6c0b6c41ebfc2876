from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, utcnow


class CourseFit(Base):
    """The expected course and the dropout model as fitted on the platform's closed cases at one
    moment: the scheduler refits them daily, the web and the recomputes read the newest (so no
    request waits for a fit). Fits stored before the dropout model was kept have none."""

    __tablename__ = "course_fits"

    id: Mapped[int] = mapped_column(primary_key=True)
    fitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    source: Mapped[str] = mapped_column(sa.String(200))
    closed_cases: Mapped[int]
    fractions: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    dropout_model: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

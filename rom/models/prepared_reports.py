"""Organisation-wide reports asked for on the reports page and prepared by the scheduler: over
a large organisation they take longer than a web request may, so the page asks, the scheduler
renders the PDF in the asker's language, and the asker downloads it while it is kept."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, enum_type, utcnow


class ReportKind(enum.StrEnum):
    ORGANISATION = "organisation"  # over a period
    GROWTH_PATH = "growth_path"  # over a calendar year


class ReportStatus(enum.StrEnum):
    WAITING = "waiting"
    PREPARING = "preparing"
    READY = "ready"
    FAILED = "failed"


class PreparedReport(Base):
    __tablename__ = "prepared_reports"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'organisation' AND starts_on IS NOT NULL AND ends_on IS NOT NULL"
            " AND starts_on <= ends_on AND year IS NULL)"
            " OR (kind = 'growth_path' AND year IS NOT NULL AND starts_on IS NULL"
            " AND ends_on IS NULL)",
            name="period_of_kind",
        ),
        sa.CheckConstraint("status != 'ready' OR content IS NOT NULL", name="ready_has_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ReportKind] = mapped_column(enum_type(ReportKind))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    year: Mapped[int | None]
    language: Mapped[str] = mapped_column(sa.String(2))
    requested_by_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[ReportStatus] = mapped_column(
        enum_type(ReportStatus), default=ReportStatus.WAITING, index=True
    )
    started_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)  # times a scheduler began preparing it
    finished_at: Mapped[datetime | None]
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)

    @property
    def pending(self) -> bool:
        return self.status in (ReportStatus.WAITING, ReportStatus.PREPARING)

    @property
    def audited_as(self) -> tuple[str, dict[str, object]]:
        """What its download is recorded as in the audit log: the report, and its period."""
        if self.kind == ReportKind.GROWTH_PATH:
            return "growth_path_report", {"year": self.year}
        return "organisation_report", {"start": str(self.starts_on), "end": str(self.ends_on)}

    @property
    def filename(self) -> str:
        if self.kind == ReportKind.GROWTH_PATH:
            return f"kring-groeipad-{self.year}.pdf"
        return f"kring-organisatie-{self.starts_on}-{self.ends_on}.pdf"

"""Organisation-wide reports asked for by a manager, prepared by the scheduler one at a time in
the asker's language, kept for a day for the asker to download, then forgotten.

Preparing is an edge of its own (it commits the claim, then the PDF), so a report that takes
minutes holds no transaction open and a scheduler that stops mid-way leaves a claim that the next
run takes up again once it is older than PREPARING_TIMEOUT.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from rom.extensions import db
from rom.i18n import in_language
from rom.models import PreparedReport, ReportKind, ReportStatus, StaffUser, utcnow
from rom.refusals import Refusal
from rom.reports.growth_path import growth_path_report
from rom.reports.organisation import organisation_report

log = logging.getLogger(__name__)

KEPT = timedelta(hours=24)  # a prepared PDF (and the request) is deleted a day after it was asked
PREPARING_TIMEOUT = timedelta(hours=1)  # a claim older than this was left by a stopped scheduler
PENDING_PER_PERSON = 3  # requests one person may have waiting at once


def request_organisation_report(staff: StaffUser, start: date, end: date) -> PreparedReport:
    """Ask for the organisation report over the period (the same request still waiting is
    reused)."""
    return _requested(staff, ReportKind.ORGANISATION, starts_on=start, ends_on=end)


def request_growth_path_report(staff: StaffUser, year: int) -> PreparedReport:
    """Ask for the growth path report of the year (the same request still waiting is reused)."""
    return _requested(staff, ReportKind.GROWTH_PATH, year=year)


def _requested(staff: StaffUser, kind: ReportKind, **period: date | int) -> PreparedReport:
    pending = [r for r in requests_of(staff) if r.pending]
    for earlier in pending:
        if earlier.kind == kind and all(getattr(earlier, k) == v for k, v in period.items()):
            return earlier
    if len(pending) >= PENDING_PER_PERSON:
        raise Refusal(
            _l(
                "U heeft al %(count)s rapportages in voorbereiding; vraag een nieuwe aan als "
                "die klaar zijn.",
                count=len(pending),
            )
        )
    report = PreparedReport(kind=kind, language=staff.language, requested_by_id=staff.id, **period)
    db.session.add(report)
    db.session.flush()
    return report


def requests_of(staff: StaffUser) -> list[PreparedReport]:
    """The person's requests still kept, newest first."""
    return list(
        db.session.scalars(
            sa.select(PreparedReport)
            .where(
                PreparedReport.requested_by_id == staff.id,
                PreparedReport.requested_at > utcnow() - KEPT,
            )
            .order_by(PreparedReport.requested_at.desc(), PreparedReport.id.desc())
        )
    )


def ready_report_of(staff: StaffUser, report_id: int) -> PreparedReport | None:
    """The person's own prepared report, while it is kept; None for anyone else's."""
    report = db.session.get(PreparedReport, report_id)
    if (
        report is None
        or report.requested_by_id != staff.id
        or report.status != ReportStatus.READY
        or report.requested_at <= utcnow() - KEPT
    ):
        return None
    return report


def prepare_requested_reports() -> int:
    """The scheduler's job: forget the reports kept long enough, then prepare every waiting one,
    oldest first, each committed on its own. Returns how many were prepared."""
    _forget_old_reports()
    prepared = 0
    while (report := _claim_next()) is not None:
        _prepare(report)
        prepared += 1
    return prepared


def _forget_old_reports() -> None:
    db.session.execute(
        sa.delete(PreparedReport).where(PreparedReport.requested_at <= utcnow() - KEPT)
    )
    db.session.commit()


def _claim_next() -> PreparedReport | None:
    """The oldest waiting request (or one left preparing by a stopped scheduler), marked as
    being prepared and committed."""
    now = utcnow()
    report = db.session.scalars(
        sa.select(PreparedReport)
        .where(
            (PreparedReport.status == ReportStatus.WAITING)
            | (
                (PreparedReport.status == ReportStatus.PREPARING)
                & (PreparedReport.started_at < now - PREPARING_TIMEOUT)
            )
        )
        .order_by(PreparedReport.requested_at, PreparedReport.id)
        .limit(1)
    ).first()
    if report is None:
        return None
    report.status, report.started_at = ReportStatus.PREPARING, now
    db.session.commit()
    return report


def _prepare(report: PreparedReport) -> None:
    """Render the PDF in the asker's language and keep it; a report that cannot be rendered is
    marked failed (and logged), so the asker sees it and the others still get theirs."""
    report_id = report.id
    try:
        with in_language(report.language):
            content = _rendered(report)
    except Exception:
        db.session.rollback()
        log.exception("prepared report %s could not be rendered", report_id)
        failed = db.session.get(PreparedReport, report_id)
        if failed is not None:
            failed.status, failed.finished_at = ReportStatus.FAILED, utcnow()
            db.session.commit()
        return
    report.content, report.status, report.finished_at = content, ReportStatus.READY, utcnow()
    db.session.commit()


def _rendered(report: PreparedReport) -> bytes:
    if report.kind == ReportKind.GROWTH_PATH:
        assert report.year is not None
        return growth_path_report(report.year)
    assert report.starts_on is not None
    assert report.ends_on is not None
    return organisation_report(report.starts_on, report.ends_on)

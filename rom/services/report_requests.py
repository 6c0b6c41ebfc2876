"""Organisation-wide reports asked for by a manager, prepared by the scheduler one at a time in
the asker's language, kept for a day for the asker to download, then forgotten.

Preparing is an edge of its own, like delivery: it commits the claim, then the PDF, so a report
that takes minutes holds no write open, and a scheduler that stops mid-way leaves a claim that a
later run takes up again once it is older than PREPARING_TIMEOUT (twice at most).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
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
REFRESHED_FOR = timedelta(minutes=10)  # the reports page refreshes itself this long at most
ATTEMPTS = 2  # tries before a report whose preparing stopped the scheduler is given up


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
        same = earlier.kind == kind and earlier.language == staff.language
        if same and all(getattr(earlier, k) == v for k, v in period.items()):
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


def still_looking(reports: list[PreparedReport]) -> bool:
    """Whether the reports page should look again by itself: a request asked for recently is
    still waiting (not longer, so an unattended page does not keep its session alive)."""
    recent = utcnow() - REFRESHED_FOR
    return any(r.pending and r.requested_at > recent for r in reports)


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


def prepare_requested_reports(render: Callable[[int], int] | None = None) -> int:
    """The scheduler's job: forget the reports kept long enough, then prepare every waiting one,
    oldest first, each committed on its own; `render` prepares a claimed one elsewhere (the
    scheduler: in a process of its own, returning its exit code), else it is prepared here.
    Returns how many are ready."""
    _forget_old_reports()
    prepared = 0
    while (report_id := _claim_next()) is not None:
        if render is None:
            prepared += prepare_claimed(report_id)
        else:
            prepared += _settled(report_id, render(report_id))
    return prepared


def _settled(report_id: int, exit_code: int) -> int:
    """After a report was prepared elsewhere: 1 when it is ready; one still being prepared (its
    process ended without writing an outcome, e.g. out of memory) is marked failed."""
    db.session.rollback()
    status = db.session.scalar(
        sa.select(PreparedReport.status).where(PreparedReport.id == report_id)
    )
    if status == ReportStatus.PREPARING:
        log.error(
            "prepared report %s: its process ended without an outcome (exit code %s)",
            report_id,
            exit_code,
        )
        _finish(report_id, status=ReportStatus.FAILED)
    return int(status == ReportStatus.READY)


def _forget_old_reports() -> None:
    """Delete what was kept a day, and give up on a report whose preparing stopped the
    scheduler twice (at 100k members it needs gigabytes; a third try would stop it again)."""
    now = utcnow()
    db.session.execute(sa.delete(PreparedReport).where(PreparedReport.requested_at <= now - KEPT))
    db.session.execute(
        sa.update(PreparedReport)
        .where(
            PreparedReport.status == ReportStatus.PREPARING,
            PreparedReport.started_at < now - PREPARING_TIMEOUT,
            PreparedReport.attempts >= ATTEMPTS,
        )
        .values(status=ReportStatus.FAILED, finished_at=now)
    )
    db.session.commit()


def _claim_next() -> int | None:
    """The oldest waiting request of an active account (or one left preparing by a stopped
    scheduler), marked as being prepared and committed; taken only if nobody took it first."""
    while True:
        now = utcnow()
        found = db.session.execute(
            sa.select(PreparedReport.id, PreparedReport.status, PreparedReport.attempts)
            .join(StaffUser, StaffUser.id == PreparedReport.requested_by_id)
            .where(
                StaffUser.active,
                PreparedReport.requested_at > now - KEPT,
                (PreparedReport.status == ReportStatus.WAITING)
                | (
                    (PreparedReport.status == ReportStatus.PREPARING)
                    & (PreparedReport.started_at < now - PREPARING_TIMEOUT)
                    & (PreparedReport.attempts < ATTEMPTS)
                ),
            )
            .order_by(PreparedReport.requested_at, PreparedReport.id)
            .limit(1)
        ).first()
        if found is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            sa.update(PreparedReport)
            .where(
                PreparedReport.id == found.id,
                PreparedReport.status == found.status,
                PreparedReport.attempts == found.attempts,
            )
            .values(status=ReportStatus.PREPARING, started_at=now, attempts=found.attempts + 1)
        )
        db.session.commit()
        if claimed.rowcount == 1:
            return found.id


def prepare_claimed(report_id: int) -> int:
    """Render the claimed report's PDF in the asker's language and keep it (1); one that cannot
    be rendered is marked failed and logged (0), so the asker sees it and the others still get
    theirs. The render's reads end before the PDF is written: no transaction stays open."""
    try:
        report = db.session.get_one(PreparedReport, report_id)
        with in_language(report.language):
            content = _rendered(report)
        db.session.rollback()
        _finish(report_id, status=ReportStatus.READY, content=content)
    except Exception:
        db.session.rollback()
        log.exception("prepared report %s could not be rendered", report_id)
        _finish(report_id, status=ReportStatus.FAILED)
        return 0
    return 1


def _finish(report_id: int, **values: object) -> None:
    """The outcome written by id (a request deleted meanwhile is simply gone) and committed."""
    db.session.execute(
        sa.update(PreparedReport)
        .where(PreparedReport.id == report_id)
        .values(finished_at=utcnow(), **values)
    )
    db.session.commit()


def _rendered(report: PreparedReport) -> bytes:
    if report.kind == ReportKind.GROWTH_PATH:
        assert report.year is not None
        return growth_path_report(report.year)
    assert report.starts_on is not None
    assert report.ends_on is not None
    return organisation_report(report.starts_on, report.ends_on)

"""Real scheduler processes against one database and a real SMTP server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from rom.clock import organisation_today
from rom.extensions import db
from rom.models import (
    Channel,
    CourseFit,
    OutboxMessage,
    OutboxStatus,
    PreparedFigures,
    PreparedReport,
    ReportStatus,
    utcnow,
)
from rom.reports.periods import presets
from rom.services.report_requests import request_organisation_report
from tests.jobs.conftest import Mailbox
from tests.personas import cast

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def due_messages(app, request: pytest.FixtureRequest) -> int:
    count = request.param
    past = utcnow() - timedelta(minutes=1)
    db.session.add_all(
        OutboxMessage(
            dedupe_key=f"test:{n}",
            channel=Channel.EMAIL,
            recipient=f"member{n}@example.org",
            subject="Kring",
            body="A message",
            next_attempt_at=past,
        )
        for n in range(count)
    )
    db.session.commit()
    return count


def start_scheduler(
    app, mailbox: Mailbox, log: Path, settings: dict[str, str] | None = None
) -> subprocess.Popen:
    env = (
        os.environ
        | (settings or {})
        | {
            "FLASK_APP": "wsgi.py",
            "ROM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "ROM_SECRET_KEY": "test",
            "ROM_SMTP_HOST": "127.0.0.1",
            "ROM_SMTP_PORT": str(mailbox.port),
            "ROM_SCHEDULER_LEASE_SECONDS": "2",
            "ROM_SCHEDULER_DELIVER_SECONDS": "0.5",
            "ROM_DELIVERY_CLAIM_SECONDS": "2",
            "ROM_SCHEDULER_PLAN_SECONDS": "3600",
            "ROM_SCHEDULER_CLOSE_SECONDS": "3600",
            "ROM_SCHEDULER_FLAGS_SECONDS": "3600",
            "ROM_SCHEDULER_DIGEST_SECONDS": "86400",
        }
    )
    flask = Path(sys.executable).with_name("flask")
    return subprocess.Popen(
        [str(flask), "rom", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def log_excerpt(path: Path) -> str:
    text = path.read_text()
    return f"{text[:400]}...{text[-1500:]}"


def ids_per_recipient(mailbox: Mailbox) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for message in list(mailbox.messages):
        seen.setdefault(message["To"], set()).add(message["Message-ID"])
    return seen


@pytest.mark.parametrize("due_messages", [40], indirect=True)
def test_two_schedulers_one_sends(app, due_messages: int, mailbox: Mailbox, tmp_path: Path) -> None:
    mailbox.start()
    first = start_scheduler(app, mailbox, tmp_path / "first.log")
    second = start_scheduler(app, mailbox, tmp_path / "second.log")
    try:
        assert wait_for(lambda: len(mailbox.messages) >= due_messages, 90)  # two cold starts
        time.sleep(2)  # room for any duplicate to show up
    finally:
        first.terminate()
        second.terminate()
        first.wait(10)
        second.wait(10)
    logs = [(tmp_path / name).read_text() for name in ("first.log", "second.log")]
    assert sum("lease acquired" in log for log in logs) == 1
    assert sum("waiting" in log for log in logs) == 1
    assert len(mailbox.messages) == due_messages
    assert len({m["To"] for m in mailbox.messages}) == due_messages


@pytest.mark.parametrize("due_messages", [500], indirect=True)
def test_killed_mid_batch_and_restarted_every_member_gets_one_message(
    app, due_messages: int, mailbox: Mailbox, tmp_path: Path
) -> None:
    mailbox.start()
    first = start_scheduler(app, mailbox, tmp_path / "first.log")
    assert wait_for(lambda: len(mailbox.messages) >= 100, 60)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(10)
    killed_at = len(mailbox.messages)
    assert killed_at < due_messages  # it really died in the middle of the batch
    second = start_scheduler(app, mailbox, tmp_path / "second.log")
    try:
        done = wait_for(lambda: len(ids_per_recipient(mailbox)) >= due_messages, 90)
        logs = "\n".join(
            (tmp_path / f).read_text()[:400] + "..." + (tmp_path / f).read_text()[-1500:]
            for f in ("first.log", "second.log")
        )
        db.session.expire_all()
        logs += "\n" + "\n".join(
            f"{m.id} {m.status} attempts={m.attempts} next={m.next_attempt_at} {m.last_error}"
            for m in db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.status != OutboxStatus.SENT)
            )
        )
        assert done, f"{len(ids_per_recipient(mailbox))} of {due_messages} delivered\n{logs}"
        time.sleep(3)
    finally:
        second.terminate()
        second.wait(10)
    per_recipient = ids_per_recipient(mailbox)
    assert len(per_recipient) == due_messages
    assert all(len(ids) == 1 for ids in per_recipient.values())
    resent = len(mailbox.messages) - due_messages
    in_flight = app.config["DELIVERY_CONNECTIONS"]  # messages handed over at once
    assert resent <= in_flight, f"{resent} messages resent after the crash"
    counts = Counter(m["To"] for m in mailbox.messages)
    print(
        f"killed after {killed_at} deliveries; resent after restart: {resent}; "
        f"most copies to one recipient: {max(counts.values())}"
    )


def planned_daily_refit() -> float | None:
    """When the stored refit job is due next (seconds since the epoch), as the job store has it."""
    db.session.rollback()
    return db.session.scalar(
        sa.text("SELECT next_run_time FROM apscheduler_jobs WHERE id = 'refit-course'")
    )


def test_a_restarted_scheduler_keeps_the_daily_jobs_next_run(
    app, mailbox: Mailbox, tmp_path: Path
) -> None:
    mailbox.start()
    runs = []
    for attempt in range(2):
        log = tmp_path / f"run{attempt}.log"
        process = start_scheduler(app, mailbox, log)
        try:
            started = wait_for(lambda log=log: "lease acquired" in log.read_text(), 30)
            assert started, log_excerpt(log)
            time.sleep(3)  # its jobs are stored
            runs.append(planned_daily_refit())
        finally:
            process.terminate()
            process.wait(10)
    assert runs[0] is not None
    assert runs[1] == pytest.approx(runs[0], abs=0.5)  # not put off by the restart
    fits = db.session.scalar(sa.select(sa.func.count()).select_from(CourseFit))
    assert fits == 1  # fitted at the first start, not again at the second


def _report_status(report_id: int) -> ReportStatus | None:
    db.session.rollback()  # a fresh read of what the scheduler process committed
    return db.session.scalar(sa.select(PreparedReport.status).where(PreparedReport.id == report_id))


def _a_managers_request() -> int:
    """A manager's organisation report request, committed for the scheduler process to see."""
    report = request_organisation_report(cast().mila, date(2026, 1, 1), date(2026, 6, 30))
    db.session.commit()
    return report.id


def _prepared_periods() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(PreparedFigures))


def test_the_scheduler_prepares_a_report_a_manager_asked_for(
    app, mailbox: Mailbox, tmp_path: Path
) -> None:
    mailbox.start()
    report_id = _a_managers_request()
    log = tmp_path / "reports.log"
    process = start_scheduler(app, mailbox, log)
    try:
        ready = wait_for(lambda: _report_status(report_id) == ReportStatus.READY, 90)
        assert ready, log_excerpt(log)
        periods = len({(p.start, p.end) for p in presets(organisation_today())})
        assert wait_for(lambda: _prepared_periods() == periods, 60), log_excerpt(log)
    finally:
        process.terminate()
        process.wait(10)
    content = db.session.scalar(
        sa.select(PreparedReport.content).where(PreparedReport.id == report_id)
    )
    assert content.startswith(b"%PDF")


def test_a_report_whose_process_runs_out_of_memory_fails_and_the_scheduler_goes_on(
    app, mailbox: Mailbox, tmp_path: Path
) -> None:
    mailbox.start()
    report_id = _a_managers_request()
    log = tmp_path / "reports.log"
    process = start_scheduler(app, mailbox, log, {"ROM_REPORT_MEMORY_MB": "150"})
    try:
        failed = wait_for(lambda: _report_status(report_id) == ReportStatus.FAILED, 90)
        assert failed, log_excerpt(log)
        assert process.poll() is None  # the scheduler itself goes on
    finally:
        process.terminate()
        process.wait(10)
    assert "ended without an outcome" in log.read_text()

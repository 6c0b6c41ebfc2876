"""The scheduler process: wait for the lease, then run the periodic jobs (APScheduler 3, job
store in the application's database). Never started inside a web worker."""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from rom.extensions import db
from rom.models import utcnow
from rom.scheduling import jobs
from rom.scheduling.definitions import JOBS
from rom.scheduling.lock import Lease

log = logging.getLogger(__name__)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_scheduler(app: Flask, announce=print) -> None:
    """Block: wait for the lease, then run the jobs until the lease is lost or the process ends."""
    jobs.bind(app)
    with app.app_context():
        engine = db.engine
    seconds = float(app.config["SCHEDULER_LEASE_SECONDS"])
    lease = Lease(engine, holder_name(), seconds)
    while not lease.try_acquire(utcnow()):
        announce(f"scheduler {lease.holder}: another scheduler holds the lease; waiting")
        time.sleep(seconds / 3)
    announce(
        f"scheduler {lease.holder}: lease acquired, running jobs (lease {seconds:g} s, "
        f"claims {app.config['DELIVERY_CLAIM_SECONDS']} s)"
    )
    scheduler = _scheduler(app, engine)
    scheduler.add_job(
        _heartbeat,
        "interval",
        seconds=seconds / 3,
        args=[lease, scheduler],
        id="lease-heartbeat",
        jobstore="local",
    )
    try:
        scheduler.start()
    finally:
        lease.release()


def _scheduler(app: Flask, engine) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine), "local": MemoryJobStore()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600},
        timezone="UTC",
    )
    planned = planned_runs(engine)
    now = datetime.now(UTC)
    for job_id, reference, setting in JOBS:
        every = timedelta(seconds=float(app.config[setting]))
        scheduler.add_job(
            reference,
            "interval",
            seconds=every.total_seconds(),
            id=job_id,
            replace_existing=True,
            next_run_time=next_run(planned.get(job_id), every, now),
        )
    return scheduler


def planned_runs(engine: sa.Engine) -> dict[str, datetime]:
    """When each job stored by an earlier scheduler was due to run next."""
    jobs_table = sa.table("apscheduler_jobs", sa.column("id"), sa.column("next_run_time"))
    with engine.connect() as connection:
        rows = connection.execute(sa.select(jobs_table.c.id, jobs_table.c.next_run_time)).all()
    return {
        job_id: datetime.fromtimestamp(float(moment), UTC)
        for job_id, moment in rows
        if moment is not None
    }


def next_run(planned: datetime | None, every: timedelta, now: datetime) -> datetime:
    """A restarted scheduler keeps each job's next run (a job overdue runs at once; one planned
    further ahead than its interval, after the interval was shortened, runs after the new
    interval), so a daily job is not put off by every restart. A job never run before runs at
    once: a new install has its expected course and dropout model fitted on the first start, not
    a day later (until then every page that draws a course fits one for itself)."""
    if planned is None:
        return now
    return min(max(planned, now), now + every)


def _heartbeat(lease: Lease, scheduler: BlockingScheduler) -> None:
    if not lease.renew(utcnow()):
        log.error("scheduler lost its lease; stopping")
        scheduler.shutdown(wait=False)

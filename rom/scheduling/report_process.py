"""A requested report prepared in a process of its own. At 100,000 members the organisation
report needs gigabytes for a minute or two: in its own process that memory goes back to the
machine when it ends, and if the machine runs short the kernel ends that process first, not the
scheduler that delivers messages and escalates critical flags (ROM_REPORT_MEMORY_MB can also cap
it)."""

from __future__ import annotations

import multiprocessing
import resource
from pathlib import Path

from flask import current_app

OOM_SCORE_ADJUST = Path("/proc/self/oom_score_adj")


def prepare_in_own_process(report_id: int) -> None:
    """Prepare the claimed report in a new process (the application built anew from the same
    environment) and wait for it to end."""
    memory_mb = int(current_app.config["REPORT_MEMORY_MB"])
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_prepare_alone, args=(report_id, memory_mb), name=f"kring-report-{report_id}"
    )
    process.start()
    process.join()


def _prepare_alone(report_id: int, memory_mb: int) -> None:
    if OOM_SCORE_ADJUST.exists():
        OOM_SCORE_ADJUST.write_text("1000")  # the first to go when memory runs short
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from rom import create_app
    from rom.services.report_requests import prepare_claimed

    with create_app().app_context():
        prepare_claimed(report_id)

"""Work that reads the whole organisation done in a process of its own: a requested report, the
management dashboard's figures. At 100,000 members such work needs gigabytes for a minute or
two; in its own process that memory goes back to the machine when it ends, and if the machine
runs short the kernel ends that process first, not the scheduler that delivers messages and
escalates critical flags (ROM_REPORT_MEMORY_MB can also cap it)."""

from __future__ import annotations

import importlib
import multiprocessing
import resource
from pathlib import Path

from flask import current_app

OOM_SCORE_ADJUST = Path("/proc/self/oom_score_adj")


def in_own_process(reference: str, *args: object) -> int:
    """Run the function (`module:name`) in a new process, inside an application built anew from
    the same environment, and wait for it; its exit code (0 when it ended well)."""
    memory_mb = int(current_app.config["REPORT_MEMORY_MB"])
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_alone, args=(reference, args, memory_mb), name=f"kring-{reference}"
    )
    process.start()
    process.join()
    return process.exitcode or 0


def prepare_in_own_process(report_id: int) -> None:
    """Prepare the claimed report in a process of its own."""
    in_own_process("rom.services.report_requests:prepare_claimed", report_id)


def _alone(reference: str, args: tuple[object, ...], memory_mb: int) -> None:
    if OOM_SCORE_ADJUST.exists():
        OOM_SCORE_ADJUST.write_text("1000")  # the first to go when memory runs short
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from rom import create_app

    module, name = reference.split(":")
    function = getattr(importlib.import_module(module), name)
    with create_app().app_context():
        function(*args)

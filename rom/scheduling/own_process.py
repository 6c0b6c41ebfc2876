"""Work that reads the whole organisation done in a process of its own, one at a time: a
requested report, the management dashboard's figures. At 100,000 members such work needs
gigabytes for a minute or two; in its own process that memory goes back to the machine when it
ends, and if the machine runs short the kernel ends that process first, not the scheduler that
delivers messages and escalates critical flags (ROM_REPORT_MEMORY_MB can also cap it). The child
ends itself when the scheduler has gone."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import resource
import threading
import time
from pathlib import Path

from flask import current_app

OOM_SCORE_ADJUST = Path("/proc/self/oom_score_adj")
ONE_AT_A_TIME = threading.Lock()  # two such children at once would need twice the memory


def in_own_process(reference: str, *args: object) -> int:
    """Run the function (`module:name`) in a new process, inside an application built anew from
    the same environment, and wait for it; its exit code (0 when it ended well)."""
    memory_mb = int(current_app.config["REPORT_MEMORY_MB"])
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_run_in_app,
        args=(reference, args, memory_mb, os.getpid()),
        name=f"kring-{reference}",
    )
    with ONE_AT_A_TIME:
        process.start()
        process.join()
    return process.exitcode if process.exitcode is not None else 0


def _run_in_app(reference: str, args: tuple[object, ...], memory_mb: int, parent: int) -> None:
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()
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


def _end_with(parent: int) -> None:
    """End this process once the scheduler that started it has gone (stopped or killed): its
    work is then claimed again, or prepared at the next run."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)

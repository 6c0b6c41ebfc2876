"""10,000 members of 20 sessions: current flags (target < 5 s), full replay (< 60 s), peak memory
of the signal computation (< 2 GB; measured in a fresh process that reads the cohort)."""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

GROUPS = 1350  # about 7.5 members each
TABLES = ("groups", "members", "sessions", "attendance", "responses")
ANSWER_COLUMNS = ["member_id", "group_id", "session_no", "instrument", "item", "value"]
ANSWER_TYPES = {  # ids as text, small numbers as small numbers: the answers are millions of rows
    "member_id": str,
    "group_id": str,
    "session_no": "int16",
    "item": "int8",
    "value": "float32",
}


def write_cohort(folder: Path) -> None:
    from rom.synthetic import CohortSpec, generate

    first = date(2024, 1, 1)
    layout = tuple(
        ("psychotherapy", "closed", 20, first + timedelta(days=(n * 3) % 700))
        for n in range(GROUPS)
    )
    generate(CohortSpec(seed=5, layout=layout)).write(folder)


def measure(folder: Path) -> None:
    from questionnaires import load_library
    from rom.analytics.inputs import frames_from_tables
    from rom.analytics.replay import current_flags, replay

    started = time.perf_counter()
    tables = {name: pd.read_csv(folder / f"{name}.csv") for name in TABLES[:-1]}
    tables["responses"] = pd.read_csv(
        folder / "responses.csv", usecols=ANSWER_COLUMNS, dtype=ANSWER_TYPES
    )
    frames = frames_from_tables(tables, load_library())
    members = tables["members"]["member_id"].nunique()
    print(
        f"read and scored {members:,} members, {len(tables['responses']):,} answers in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    as_of = pd.Timestamp(frames.sessions["date"].max())
    started = time.perf_counter()
    current = current_flags(frames, as_of)
    print(
        f"current flags: {time.perf_counter() - started:.2f} s (target < 5 s), "
        f"{len(current)} flags",
        flush=True,
    )
    started = time.perf_counter()
    result = replay(frames)
    print(
        f"full replay: {time.perf_counter() - started:.1f} s (target < 60 s), "
        f"{len(result.panel):,} member-sessions, {len(result.flags):,} flag-sessions, "
        f"{len(result.models)} monthly refits",
        flush=True,
    )
    print(f"peak memory of the signal process: {_peak_megabytes():,.0f} MB (target < 2,048 MB)")


def _peak_megabytes() -> float:
    """This process's peak resident memory since it started its program (VmHWM). getrusage's
    figure would also count the parent's pages the child shared between fork and exec: the
    parent holds the generated cohort, so that figure measured the generator, not the signals."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_cohort(Path(folder))
        print(f"generated the cohort in {time.perf_counter() - started:.1f} s", flush=True)
        child = multiprocessing.get_context("spawn").Process(target=measure, args=(Path(folder),))
        child.start()
        child.join()

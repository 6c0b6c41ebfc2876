"""Matching 2,000 waiting clients against 300 groups with open places (target under 1 s)."""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

import numpy as np
import pandas as pd

CLIENTS = 2_000
GROUPS = 300
KINDS = ("psychotherapy", "psychoeducation", "skills", "art_psychomotor", "recovery")
PARTS = ("morning", "afternoon", "evening")


def _frames(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    today = date(2026, 11, 24)
    slots = [f"{day}:{part}" for day in range(5) for part in PARTS]
    waiting = pd.DataFrame(
        {
            "client_id": [f"W{n:05d}" for n in range(CLIENTS)],
            "kind": [None if rng.random() < 0.2 else rng.choice(KINDS) for _ in range(CLIENTS)],
            "language": rng.choice(["nl", "en"], size=CLIENTS, p=[0.9, 0.1]),
            "referred_on": [today - timedelta(days=int(d)) for d in rng.integers(0, 365, CLIENTS)],
            "readiness": rng.random(CLIENTS),
            "decision": rng.choice(
                ["suitable", "individual_first", "not_suitable", None],
                size=CLIENTS,
                p=[0.7, 0.1, 0.05, 0.15],
            ),
            "contraindicated": rng.random(CLIENTS) < 0.05,
            "slots": [
                list(rng.choice(slots, size=int(rng.integers(1, 8)), replace=False))
                for _ in range(CLIENTS)
            ],
        }
    )
    groups = pd.DataFrame(
        {
            "group_id": [f"G{n:04d}" for n in range(GROUPS)],
            "kind": rng.choice(KINDS, size=GROUPS),
            "language": rng.choice(["nl", "en"], size=GROUPS, p=[0.92, 0.08]),
            "slot": rng.choice(slots, size=GROUPS),
            "open_places": rng.integers(0, 4, GROUPS),
            "next_entry": [today + timedelta(days=int(d)) for d in rng.integers(1, 60, GROUPS)],
        }
    )
    return waiting, groups


def run() -> None:
    from rom.analytics.matching import candidates, options_per_client

    waiting, groups = _frames(np.random.default_rng(13))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        found = candidates(waiting, groups, date(2026, 11, 24))
        options_per_client(found)
        times.append(time.perf_counter() - started)
    print(
        f"matching {CLIENTS:,} waiting clients against {GROUPS} groups: median "
        f"{statistics.median(times) * 1000:.0f} ms (target < 1,000 ms), {len(found):,} proposals "
        f"for {found['group_id'].nunique()} groups"
    )

"""Scoring every administration of the sample bundle from a DataFrame (target under 2 s)."""

from __future__ import annotations

import time

import pandas as pd

from benchmarks.data import sample_bundle
from questionnaires import load_library, score_frame

KEY = ["member_id", "session_no", "instrument"]


def run() -> None:
    answers = pd.read_csv(sample_bundle() / "responses.csv")
    library = load_library()
    started = time.perf_counter()
    administrations = 0
    for instrument_id, part in answers.groupby("instrument"):
        scored = score_frame(library[str(instrument_id)], part, by=["member_id", "session_no"])
        administrations += scored[["member_id", "session_no"]].drop_duplicates().shape[0]
    elapsed = time.perf_counter() - started
    print(
        f"scored {len(answers):,} answers in {administrations:,} administrations in "
        f"{elapsed:.2f} s (target < 2 s): {administrations / elapsed:,.0f} administrations/s"
    )

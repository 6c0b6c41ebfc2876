"""A backtest: the imported bundle replayed session by session and its flags scored against the
truth of what happened to each member."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from rom.analytics.backtest import (
    backtest,
    calibration,
    lead_times,
    render,
    render_calibration,
    render_lead_times,
)
from rom.analytics.replay import replay
from rom.frames import load_frames


def backtest_lines(truth_file: Path) -> list[str]:
    """Replay every group in the database and score the flags against truth.csv."""
    truth = pd.read_csv(truth_file, dtype={"member_id": str, "group_id": str})
    started = time.perf_counter()
    result = replay(load_frames())
    elapsed = time.perf_counter() - started
    course, model = list(result.models.values())[-1]
    auc = f", discrimination (AUC) {model.auc:.2f}" if model.auc else ""
    return [
        f"replayed {len(result.panel)} member-sessions in {elapsed:.1f} s; "
        f"{len(result.flags)} flag-sessions",
        render(backtest(result.flags, result.panel, truth)),
        render_lead_times(lead_times(result.flags, result.panel, truth)),
        render_calibration(calibration(result.dropout_risk, result.panel, truth)),
        f"expected course at the end: {course.source}",
        f"dropout model at the end: {model.source}{auc}",
    ]

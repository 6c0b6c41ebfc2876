"""A backtest: a bundle with its truth goes into a throwaway database, is replayed, and scored."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd

from rom.analytics.backtest import backtest, render
from rom.analytics.replay import replay


def run_backtest(directory: Path) -> list[str]:
    from flask_migrate import upgrade

    from rom import create_app
    from rom.frames import load_frames
    from rom.services.bundles import import_bundle

    truth = pd.read_csv(directory / "truth.csv", dtype={"member_id": str, "group_id": str})
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'backtest.sqlite3'}",
                "SECRET_KEY": "backtest",
            }
        )
        with app.app_context():
            upgrade()
            import_bundle(directory)
            started = time.perf_counter()
            result = replay(load_frames())
            elapsed = time.perf_counter() - started
            from rom.extensions import db

            db.session.remove()
            db.engine.dispose()
    course, model = list(result.models.values())[-1]
    auc = f", discrimination (AUC) {model.auc:.2f}" if model.auc else ""
    return [
        f"replayed {len(result.panel)} member-sessions in {elapsed:.1f} s; "
        f"{len(result.flags)} flag-sessions",
        render(backtest(result.flags, result.panel, truth)),
        f"expected course at the end: {course.source}",
        f"dropout model at the end: {model.source}{auc}",
    ]

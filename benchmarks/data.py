"""Where benchmarks find the sample bundle, and a throwaway application to measure against."""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parents[1]


def sample_bundle() -> Path:
    shared = ROOT.parent / "shared" / "sample-bundle"
    if (shared / "responses.csv").exists():
        return shared
    target = Path(tempfile.mkdtemp(prefix="kring-sample-"))
    with tarfile.open(ROOT / "tests" / "data" / "sample-bundle.tar.xz") as archive:
        archive.extractall(target)
    return target / "sample-bundle"


def fresh_app() -> Flask:
    """An application on a new, migrated SQLite file."""
    from flask_migrate import upgrade

    from rom import create_app

    folder = Path(tempfile.mkdtemp(prefix="kring-bench-"))
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "SECRET_KEY": "bench"}
    )
    with app.app_context():
        upgrade()
    return app

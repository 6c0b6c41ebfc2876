"""Importing the sample bundle into an empty SQLite database (target under 20 s)."""

from __future__ import annotations

import time

from benchmarks.data import fresh_app, sample_bundle


def run() -> None:
    bundle = sample_bundle()
    app = fresh_app()
    with app.app_context():
        from rom.services.bundles import import_bundle
        from rom.transactions import committed

        started = time.perf_counter()
        with committed():
            summary = import_bundle(bundle)
        first = time.perf_counter() - started
        started = time.perf_counter()
        with committed():
            import_bundle(bundle)
        again = time.perf_counter() - started
    print(f"sample bundle import: {first:.1f} s (target < 20 s); {summary}")
    print(f"re-import of the same bundle (writes nothing): {again:.1f} s")

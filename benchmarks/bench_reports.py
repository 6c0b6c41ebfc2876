"""PDF reports on an organisation of 100 groups (synthetic, about two years): a group report
(target under 2 s), the organisation report for a year (target under 20 s) and the insurer's
growth path page for a year against 2025 (target under 20 s)."""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.data import fresh_app

GROUPS = 100


def run() -> None:
    from rom.synthetic import CohortSpec, generate

    folder = Path(tempfile.mkdtemp(prefix="kring-reports-"))
    generate(
        CohortSpec(groups=GROUPS, seed=5, first_start=date(2025, 1, 6), until=date(2026, 11, 1))
    ).write(folder)
    app = fresh_app()
    with app.app_context():
        import sqlalchemy as sa

        from rom.extensions import db
        from rom.models import Group
        from rom.reports.group import group_report
        from rom.reports.growth_path import growth_path_report
        from rom.reports.organisation import organisation_report
        from rom.services.bundles import import_bundle

        import_bundle(folder)
        group = db.session.scalars(sa.select(Group).order_by(Group.code)).first()
        for attempt in ("first (cold: fonts, the day's expected course)", "second", "third"):
            started = time.perf_counter()
            pdf = group_report(group)
            seconds = time.perf_counter() - started
            print(f"group report, {attempt}: {seconds:.2f} s (target < 2 s), {len(pdf):,} bytes")
        started = time.perf_counter()
        pdf = organisation_report(date(2026, 1, 1), date(2026, 10, 31))
        seconds = time.perf_counter() - started
        print(
            f"organisation report over {GROUPS} groups: {seconds:.2f} s (target < 20 s), "
            f"{len(pdf):,} bytes"
        )
        started = time.perf_counter()
        with app.test_request_context():
            pdf = growth_path_report(2026)
        seconds = time.perf_counter() - started
        print(
            f"growth path 2026 against 2025 over {GROUPS} groups: {seconds:.2f} s "
            f"(target < 20 s), {len(pdf):,} bytes"
        )

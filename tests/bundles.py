"""The bundles in tests/data that tests import, and synthetic cohorts imported for a test."""

from __future__ import annotations

from pathlib import Path

from rom.services.bundles import import_bundle
from rom.synthetic import Cohort, CohortSpec, generate

TINY: Path = Path(__file__).parent / "data" / "tiny-bundle"


def import_cohort(spec: CohortSpec, folder: Path) -> Cohort:
    """Generate the cohort, write its bundle to `folder` and import it (the caller commits)."""
    cohort = generate(spec)
    cohort.write(folder)
    import_bundle(folder)
    return cohort

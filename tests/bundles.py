"""The bundles in tests/data that tests import."""

from __future__ import annotations

from pathlib import Path

TINY: Path = Path(__file__).parent / "data" / "tiny-bundle"

"""Bundle import (all or nothing, idempotent) and export, in the format of DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app

from rom.instruments import library
from rom.refusals import Refusal
from rom.schemas.bundle import FILES, Problem, read_file
from rom.services.bundles import export, store
from rom.services.bundles.checks import ParsedBundle, cross_file_problems

MAX_REPORTED = 200


class BundleError(Refusal):
    """The bundle cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem], incomplete: bool = False) -> None:
        self.problems = problems[:MAX_REPORTED]
        self.total = len(problems)
        self.incomplete = incomplete  # a file was not read to its end: the total is a minimum
        super().__init__(f"{self.count} problem(s) in the bundle")

    @property
    def count(self) -> str:
        return f"at least {self.total}" if self.incomplete else str(self.total)


@dataclass(frozen=True)
class ImportSummary:
    counts: dict[str, int]

    def __str__(self) -> str:
        added = ", ".join(f"{name}: {count}" for name, count in self.counts.items())
        return f"Imported (new rows) {added}"


def read_bundle(directory: Path) -> ParsedBundle:
    bundle, problems, incomplete = ParsedBundle(), [], False
    for name, schema_class in FILES.items():
        reading = read_file(directory / name, schema_class)
        setattr(bundle, name.removesuffix(".csv"), reading.rows)
        problems.extend(reading.problems)
        incomplete = incomplete or reading.stopped_early
    if problems:
        raise BundleError(problems, incomplete)
    return bundle


def import_bundle(directory: Path) -> ImportSummary:
    """Validate the whole bundle against itself and what is stored, then add only what is new
    to the caller's transaction (the caller commits it, or rolls all of it back)."""
    bundle = read_bundle(directory)
    problems = cross_file_problems(bundle, library())
    if problems:
        raise BundleError(problems)
    timezone = current_app.config["TIMEZONE"]
    stored = store.load_stored(timezone, {row["group_id"] for _, row in bundle.groups})
    problems = store.conflicts(bundle, stored)
    if problems:
        raise BundleError(problems)
    return ImportSummary(store.write_new(bundle, stored, library(), timezone))


def export_bundle(directory: Path) -> dict[str, Any]:
    return export.write_bundle(directory, current_app.config["TIMEZONE"])

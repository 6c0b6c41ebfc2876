"""The organisation's individual treatment volume per calendar year (contacts, the unit of
Kring's group volume), so that the share of group treatment can be shown: set one year on the
page or by the API, or import a CSV of years. Every change is audited; a refused file stores
nothing."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from rom.audit import record
from rom.extensions import db
from rom.models import ApiToken, IndividualVolume, StaffUser, VolumeSource, utcnow
from rom.models.treatment_volumes import FIRST_YEAR, LAST_YEAR, MAX_SESSIONS
from rom.refusals import Refusal

HEADERS = (("year", "sessions"), ("jaar", "contacten"))
SHOWN_PROBLEMS = 10


class VolumeError(Refusal):
    """A year's figure that cannot be stored as given."""


class VolumeFileError(VolumeError):
    """An import file refused as a whole; every problem names its line."""

    def __init__(self, problems: list[object]) -> None:
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        shown = [str(problem) for problem in self.problems[:SHOWN_PROBLEMS]]
        if len(self.problems) > SHOWN_PROBLEMS:
            more = len(self.problems) - SHOWN_PROBLEMS
            shown.append(str(_l("En nog %(count)s regels met een probleem.", count=more)))
        return " ".join(shown)


Actor = StaffUser | ApiToken  # a manager on the page, or an integration's token


@dataclass(frozen=True)
class Row:
    line: int
    year: int
    sessions: int


def individual_volumes() -> dict[int, int]:
    """Year -> individual contacts, for the years the organisation entered."""
    return dict(
        db.session.execute(sa.select(IndividualVolume.year, IndividualVolume.sessions)).all()
    )


def recorded_volumes() -> list[IndividualVolume]:
    """The entered years, newest first, with who recorded each and how."""
    return list(
        db.session.scalars(sa.select(IndividualVolume).order_by(IndividualVolume.year.desc()))
    )


def record_individual_volume(
    year: int, sessions: int, by: Actor, source: VolumeSource | str
) -> IndividualVolume:
    """Set one year's figure (replacing an earlier one), audited."""
    problem = _problem(year, sessions)
    if problem is not None:
        raise VolumeError(problem)
    return _store(year, sessions, by, VolumeSource(source))


def import_individual_volumes(csv_text: str, by: Actor) -> int:
    """Store every year of a CSV file (`year,sessions` or `jaar,contacten`), or none of them:
    any bad or repeated row refuses the whole file, naming its line. Returns the years stored."""
    rows = _read(csv_text)
    for row in rows:
        _store(row.year, row.sessions, by, VolumeSource.CSV)
    return len(rows)


def _problem(year: int, sessions: int, line: int | None = None) -> object | None:
    """What is wrong with the figure (on this line of a file), or None."""
    bounds = {"first": FIRST_YEAR, "last": LAST_YEAR, "most": MAX_SESSIONS, "line": line}
    if not FIRST_YEAR <= year <= LAST_YEAR:
        if line is None:
            return _l("Het jaar moet van %(first)s tot en met %(last)s zijn.", **bounds)
        return _l("Regel %(line)s: het jaar moet van %(first)s tot en met %(last)s zijn.", **bounds)
    if not 0 <= sessions <= MAX_SESSIONS:
        if line is None:
            return _l("Het aantal contacten moet van 0 tot en met %(most)s zijn.", **bounds)
        return _l(
            "Regel %(line)s: het aantal contacten moet van 0 tot en met %(most)s zijn.", **bounds
        )
    return None


def _store(year: int, sessions: int, by: Actor, source: VolumeSource) -> IndividualVolume:
    staff = by if isinstance(by, StaffUser) else None
    stored = db.session.get(IndividualVolume, year)
    previous = stored.sessions if stored else None
    if stored is None:
        stored = IndividualVolume(year=year)
        db.session.add(stored)
    stored.sessions = sessions
    stored.source = source
    stored.recorded_by_id = staff.id if staff else None
    stored.recorded_at = utcnow()
    record(
        staff,
        "change",
        "individual_volume",
        year,
        actor_kind=None if staff else "token",
        sessions=sessions,
        previous=previous,
        source=source.value,
        token=None if staff else by.name,
    )
    return stored


def _read(csv_text: str) -> list[Row]:
    lines = csv_text.removeprefix("\ufeff").splitlines()
    reader = csv.reader(lines, delimiter=_delimiter(lines))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if tuple(header) not in HEADERS:
        raise VolumeFileError(
            [_l("Regel 1: de eerste regel moet 'year,sessions' of 'jaar,contacten' zijn.")]
        )
    rows, problems, seen, read = [], [], {}, reader.line_num
    for cells in reader:
        line, read = read + 1, reader.line_num  # a row counts from the line it starts on
        if not any(cell.strip() for cell in cells):
            continue
        row = _row(line, cells, problems)
        if row is None:
            continue
        if row.year in seen:
            problems.append(
                _l(
                    "Regel %(line)s: %(year)s staat ook op regel %(first)s.",
                    line=line,
                    year=row.year,
                    first=seen[row.year],
                )
            )
            continue
        seen[row.year] = line
        rows.append(row)
    if not rows and not problems:
        problems.append(_l("Het bestand bevat geen jaren: alleen de eerste regel."))
    if problems:
        raise VolumeFileError(problems)
    return rows


def _delimiter(lines: list[str]) -> str:
    """A comma, or the semicolon a Dutch spreadsheet writes."""
    first = lines[0] if lines else ""
    return ";" if ";" in first and "," not in first else ","


def _row(line: int, cells: list[str], problems: list[object]) -> Row | None:
    values = [cell.strip() for cell in cells]
    if len(values) != 2 or not all(value.isdecimal() and value.isascii() for value in values):
        problems.append(
            _l("Regel %(line)s: verwacht een jaar en een heel aantal contacten.", line=line)
        )
        return None
    year, sessions = int(values[0]), int(values[1])
    problem = _problem(year, sessions, line)
    if problem is not None:
        problems.append(problem)
        return None
    return Row(line, year, sessions)

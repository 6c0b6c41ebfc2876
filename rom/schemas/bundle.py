"""One marshmallow schema per bundle file; reading a file gives rows with their line numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from rom.models import AttendanceStatus, GroupFormat, GroupKind, Language
from rom.models.clients import CODE_TEXT
from rom.spreadsheet_cells import restored

CODE = validate.Regexp(
    CODE_TEXT, error="must be 1-40 letters, digits, _ . or -, starting with a letter or digit"
)


def _choice(enum_class: type) -> validate.OneOf:
    return validate.OneOf([member.value for member in enum_class])


class BundleBoolean(fields.Boolean):
    truthy: ClassVar[set[str]] = {"true", "True", "TRUE", "1"}
    falsy: ClassVar[set[str]] = {"false", "False", "FALSE", "0"}


class Row(Schema):
    class Meta:
        unknown = RAISE


class GroupRow(Row):
    group_id = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(required=True, validate=_choice(GroupKind))
    format = fields.String(required=True, validate=_choice(GroupFormat))
    planned_sessions = fields.Integer(required=True, validate=validate.Range(min=1, max=200))
    start_date = fields.Date(required=True)


class MemberRow(Row):
    member_id = fields.String(required=True, validate=CODE)
    group_id = fields.String(required=True, validate=CODE)
    joined_session = fields.Integer(required=True, validate=validate.Range(min=1))
    language = fields.String(required=True, validate=_choice(Language))


class SessionRow(Row):
    group_id = fields.String(required=True, validate=CODE)
    session_no = fields.Integer(required=True, validate=validate.Range(min=1))
    date = fields.Date(required=True)
    held = BundleBoolean(required=True)


class AttendanceRow(Row):
    group_id = fields.String(required=True, validate=CODE)
    session_no = fields.Integer(required=True, validate=validate.Range(min=1))
    member_id = fields.String(required=True, validate=CODE)
    status = fields.String(required=True, validate=_choice(AttendanceStatus))


class ResponseRow(Row):
    member_id = fields.String(required=True, validate=CODE)
    group_id = fields.String(required=True, validate=CODE)
    session_no = fields.Integer(required=True, validate=validate.Range(min=1))
    instrument = fields.String(required=True, validate=validate.Length(min=1, max=40))
    item = fields.Integer(required=True, validate=validate.Range(min=1))
    value = fields.Integer(required=True, strict=False)
    completed_at = fields.NaiveDateTime(required=True)


FILES: dict[str, type[Row]] = {
    "groups.csv": GroupRow,
    "members.csv": MemberRow,
    "sessions.csv": SessionRow,
    "attendance.csv": AttendanceRow,
    "responses.csv": ResponseRow,
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


def read_file(
    path: Path, schema_class: type[Row]
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Rows as (line number, loaded row) and the problems found; line 1 is the header."""
    if not path.exists():
        return [], [Problem(path.name, 0, "", "file is missing")]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        expected = list(schema_class().fields)
        if reader.fieldnames != expected:
            found = ", ".join(reader.fieldnames or [])
            reason = f"header must be {', '.join(expected)} (found: {found})"
            return [], [Problem(path.name, 1, "", reason)]
        return _load_rows(path.name, reader, schema_class())


def _load_rows(
    name: str, reader: csv.DictReader, schema: Row
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        if None in raw or None in raw.values():
            problems.append(Problem(name, line, "", "wrong number of columns"))
            continue
        try:
            rows.append((line, schema.load({k: restored(v) for k, v in raw.items()})))
        except ValidationError as error:
            problems.extend(_problems(name, line, error.messages))
    return rows, problems


def _problems(name: str, line: int, messages: Any) -> Iterator[Problem]:
    for column, reasons in messages.items():
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            yield Problem(name, line, str(column), str(reason))

"""One marshmallow schema per bundle file; reading a file gives rows with their line numbers."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

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


MAX_PROBLEMS_PER_FILE = 1000  # past this a file is not read further (bounded time and memory)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
BYTE_ORDER_MARKS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


@dataclass
class FileReading:
    """The rows of one file as (line, loaded row), its problems, and whether reading stopped
    before the end (then the problems are a lower bound)."""

    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    stopped_early: bool = False


def read_file(path: Path, schema_class: type[Row]) -> FileReading:
    """Read one bundle file; line 1 is the header, and a row's line is the line it starts on
    (a quoted field may span lines). A file that is not UTF-8 CSV is named, never a traceback."""
    reading = FileReading()
    if not path.exists():
        reading.problems.append(Problem(path.name, 0, "", "file is missing"))
        return reading
    with path.open("rb") as raw:
        start = raw.read(2)
    if start in BYTE_ORDER_MARKS:
        reason = f"the file is {BYTE_ORDER_MARKS[start]}; save it as UTF-8"
        reading.problems.append(Problem(path.name, 1, "", reason))
        return reading
    with path.open("rb") as handle:
        reader = csv.reader(_utf8_lines(handle), strict=True)
        try:
            _read_rows(path.name, reader, schema_class, reading)
        except NotUtf8Error as error:
            reason = "not UTF-8 text (save the file as UTF-8); reading stopped here"
            reading.problems.append(Problem(path.name, error.line, "", reason))
            reading.stopped_early = True
        except csv.Error as error:
            reason = f"not readable as CSV ({error}); reading stopped here"
            reading.problems.append(Problem(path.name, reader.line_num, "", reason))
            reading.stopped_early = True
    return reading


class NotUtf8Error(ValueError):
    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is not UTF-8")
        self.line = line


def _utf8_lines(handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text, one at a time (bounded memory), a UTF-8 byte order mark
    dropped; a line that is not UTF-8 stops the reading with its own line number."""
    for number, line in enumerate(handle, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise NotUtf8Error(number) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def _read_rows(name: str, reader: Any, schema_class: type[Row], reading: FileReading) -> None:
    expected = list(schema_class().fields)
    header = next(reader, None)
    if header != expected:
        found = ", ".join(header or [])
        reason = f"header must be {', '.join(expected)} (found: {found})"
        reading.problems.append(Problem(name, 1, "", reason))
        return
    schema = schema_class()
    line = reader.line_num + 1
    for cells in reader:
        reading.problems.extend(_row_problems(name, line, cells, expected, schema, reading.rows))
        if len(reading.problems) >= MAX_PROBLEMS_PER_FILE:
            reading.stopped_early = True
            return
        line = reader.line_num + 1


def _row_problems(
    name: str,
    line: int,
    cells: list[str],
    columns: list[str],
    schema: Row,
    rows: list[tuple[int, dict[str, Any]]],
) -> list[Problem]:
    if len(cells) != len(columns):
        return [Problem(name, line, "", "wrong number of columns")]
    raw = dict(zip(columns, (restored(cell) for cell in cells), strict=True))
    control = [column for column, value in raw.items() if CONTROL_CHARACTERS.search(value)]
    if control:
        return [Problem(name, line, column, "contains a control character") for column in control]
    try:
        rows.append((line, schema.load(raw)))
    except ValidationError as error:
        return list(_problems(name, line, error.messages))
    return []


def _problems(name: str, line: int, messages: Any) -> Iterator[Problem]:
    for column, reasons in messages.items():
        for reason in reasons if isinstance(reasons, list) else [reasons]:
            yield Problem(name, line, str(column), str(reason))

"""Write the database as a bundle folder (the format of DESIGN.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from rom.clock import to_local
from rom.extensions import db
from rom.frames import answer_rows
from rom.models import (
    Answer,
    Attendance,
    Client,
    Group,
    GroupSession,
    Membership,
    Response,
    SessionStatus,
)
from rom.schemas.bundle import FILES
from rom.spreadsheet_cells import neutralised


def write_bundle(directory: Path, timezone: str) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    tables = {
        "groups.csv": _groups(),
        "members.csv": _members(),
        "sessions.csv": _sessions(timezone),
        "attendance.csv": _attendance(),
        "responses.csv": _responses(timezone),
    }
    return {
        name: _write(directory / name, list(FILES[name]().fields), rows)
        for name, rows in tables.items()
    }


def _write(path: Path, header: list[str], rows: Iterable[tuple]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralised(cell) for cell in row])
            count += 1
    return count


def _groups() -> Iterable[tuple]:
    query = sa.select(Group).order_by(Group.code)
    for g in db.session.scalars(query):
        yield (
            g.code,
            g.name,
            g.kind.value,
            g.format.value,
            g.planned_sessions,
            g.start_date.isoformat(),
        )


def _members() -> Iterable[tuple]:
    query = (
        sa.select(Client.code, Group.code, Membership.joined_session, Client.language)
        .join(Membership, Membership.client_id == Client.id)
        .join(Group, Membership.group_id == Group.id)
        .order_by(Group.code, Client.code)
    )
    for client, group, joined, language in db.session.execute(query):
        yield client, group, joined, language.value


def _sessions(timezone: str) -> Iterable[tuple]:
    query = (
        sa.select(Group.code, GroupSession.number, GroupSession.planned_start, GroupSession.status)
        .join(Group)
        .order_by(Group.code, GroupSession.number)
    )
    for group, number, start, status in db.session.execute(query):
        held = "true" if status == SessionStatus.HELD else "false"
        yield group, number, to_local(start, timezone).date().isoformat(), held


def _attendance() -> Iterable[tuple]:
    query = (
        sa.select(Group.code, GroupSession.number, Client.code, Attendance.status)
        .join(GroupSession, Attendance.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Attendance.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
        .order_by(Group.code, GroupSession.number, Client.code)
    )
    for group, number, client, status in db.session.execute(query):
        yield group, number, client, status.value


def _responses(timezone: str) -> Iterable[tuple]:
    query = answer_rows(Response.completed_at).order_by(
        Client.code, GroupSession.number, Response.instrument_id, Answer.item
    )
    for group, client, number, instrument, item, value, completed in db.session.execute(query):
        yield (
            client,
            group,
            number,
            instrument,
            item,
            value,
            _timestamp(to_local(completed, timezone)),
        )


def _timestamp(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")

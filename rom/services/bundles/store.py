"""What a bundle import finds in the database, where the bundle disagrees, and the new rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from questionnaires import Library, score_frame
from rom.clock import session_start, to_local, to_utc, today_in
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
    ResponseSource,
    Score,
    SessionStatus,
)
from rom.schemas.bundle import Problem
from rom.services.bundles.checks import ParsedBundle, administrations


@dataclass
class Stored:
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    memberships: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    sessions: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    attendance: dict[tuple[str, int, str], str] = field(default_factory=dict)
    responses: dict[tuple[str, str, int, str], dict[int, int]] = field(default_factory=dict)


CHUNK = 5000  # group codes per query (SQLite allows 32,766 parameters)


def load_stored(timezone: str, group_codes: set[str]) -> Stored:
    """What is stored about the bundle's groups (their sessions, members, attendance and
    answers) and every client: a bundle names only its own groups, so an import reads what it
    could conflict with, not the whole history."""
    stored = Stored()
    for c in db.session.execute(sa.select(Client.id, Client.code, Client.language)):
        stored.clients[c.code] = {"id": c.id, "language": c.language.value}
    codes = sorted(group_codes)
    for start in range(0, len(codes), CHUNK):
        _load_groups(stored, codes[start : start + CHUNK], timezone)
    return stored


def _load_groups(stored: Stored, codes: list[str], timezone: str) -> None:
    these = Group.code.in_(codes)
    for g in db.session.execute(
        sa.select(
            Group.id,
            Group.code,
            Group.name,
            Group.kind,
            Group.format,
            Group.planned_sessions,
            Group.start_date,
        ).where(these)
    ):
        stored.groups[g.code] = {
            "id": g.id,
            "name": g.name,
            "kind": g.kind.value,
            "format": g.format.value,
            "planned_sessions": g.planned_sessions,
            "start_date": g.start_date,
        }
    for m in db.session.execute(_membership_rows().where(these)):
        stored.memberships[(m.client_code, m.group_code)] = {
            "id": m.id,
            "joined_session": m.joined_session,
        }
    for s in db.session.execute(
        sa.select(
            GroupSession.id,
            Group.code,
            GroupSession.number,
            GroupSession.planned_start,
            GroupSession.status,
        )
        .join(Group)
        .where(these)
    ):
        stored.sessions[(s.code, s.number)] = {
            "id": s.id,
            "date": to_local(s.planned_start, timezone).date(),
            "held": s.status == SessionStatus.HELD,
        }
    _load_attendance(stored, these)
    _load_responses(stored, these)


def _membership_rows() -> sa.Select:
    return (
        sa.select(
            Membership.id,
            Membership.joined_session,
            Client.code.label("client_code"),
            Group.code.label("group_code"),
        )
        .join(Client, Membership.client_id == Client.id)
        .join(Group, Membership.group_id == Group.id)
    )


def _load_attendance(stored: Stored, these: sa.ColumnElement[bool]) -> None:
    query = (
        sa.select(
            Group.code.label("group_code"),
            GroupSession.number,
            Client.code.label("client_code"),
            Attendance.status,
        )
        .join(GroupSession, Attendance.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Attendance.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
        .where(these)
    )
    for row in db.session.execute(query):
        stored.attendance[(row.group_code, row.number, row.client_code)] = row.status.value


def _load_responses(stored: Stored, these: sa.ColumnElement[bool]) -> None:
    answers: dict[tuple[str, str, int, str], dict[int, int]] = defaultdict(dict)
    for row in db.session.execute(answer_rows().where(these)):
        key = (row.member_code, row.group_code, row.number, row.instrument_id)
        answers[key][row.item] = row.value
    stored.responses |= answers


def conflicts(bundle: ParsedBundle, stored: Stored) -> list[Problem]:
    """Rows that name something already stored but say something different about it."""
    found: list[Problem] = []
    found += _row_conflicts(
        "groups.csv",
        bundle.groups,
        stored.groups,
        lambda r: r["group_id"],
        ("name", "kind", "format", "planned_sessions", "start_date"),
    )
    found += _row_conflicts(
        "members.csv", bundle.members, stored.clients, lambda r: r["member_id"], ("language",)
    )
    found += _row_conflicts(
        "members.csv",
        bundle.members,
        stored.memberships,
        lambda r: (r["member_id"], r["group_id"]),
        ("joined_session",),
    )
    found += _row_conflicts(
        "sessions.csv",
        bundle.sessions,
        stored.sessions,
        lambda r: (r["group_id"], r["session_no"]),
        ("date", "held"),
    )
    found += list(_attendance_conflicts(bundle, stored))
    found += list(_response_conflicts(bundle, stored))
    return found


def _row_conflicts(name: str, rows: list, stored: dict, key, columns: tuple[str, ...]) -> list:
    problems = []
    for line, row in rows:
        existing = stored.get(key(row))
        if existing is None:
            continue
        for column in columns:
            if existing[column] != row[column]:
                problems.append(
                    Problem(name, line, column, f"differs from what is stored ({existing[column]})")
                )
    return problems


def _attendance_conflicts(bundle: ParsedBundle, stored: Stored) -> Iterator[Problem]:
    for line, row in bundle.attendance:
        existing = stored.attendance.get((row["group_id"], row["session_no"], row["member_id"]))
        if existing is not None and existing != row["status"]:
            yield Problem(
                "attendance.csv", line, "status", f"differs from what is stored ({existing})"
            )


def _response_conflicts(bundle: ParsedBundle, stored: Stored) -> Iterator[Problem]:
    for key, rows in administrations(bundle).items():
        existing = stored.responses.get(key)
        if existing is None:
            continue
        given = {row["item"]: row["value"] for _, row in rows}
        if given != existing:
            yield Problem(
                "responses.csv",
                rows[0][0],
                "value",
                "answers differ from the stored response for this member, session "
                "and instrument; a submitted response is never overwritten",
            )


def write_new(
    bundle: ParsedBundle, stored: Stored, library: Library, timezone: str
) -> dict[str, int]:
    counts = {
        "groups": _write_groups(bundle, stored),
        "members": _write_members(bundle, stored),
        "sessions": _write_sessions(bundle, stored, timezone),
        "attendance": _write_attendance(bundle, stored),
    }
    counts["responses"], counts["answers"] = _write_responses(bundle, stored, library, timezone)
    return counts


def _insert_returning(model: type, rows: list[dict[str, Any]], *columns: Any) -> list[Any]:
    if not rows:
        return []
    statement = sa.insert(model).returning(*columns, sort_by_parameter_order=True)
    return list(db.session.execute(statement, rows))


def _write_groups(bundle: ParsedBundle, stored: Stored) -> int:
    new = [row for _, row in bundle.groups if row["group_id"] not in stored.groups]
    rows = [
        {
            "code": r["group_id"],
            "name": r["name"],
            "kind": r["kind"],
            "format": r["format"],
            "planned_sessions": r["planned_sessions"],
            "start_date": r["start_date"],
            "weekday": r["start_date"].weekday(),
        }
        for r in new
    ]
    for row, (group_id,) in zip(new, _insert_returning(Group, rows, Group.id), strict=True):
        stored.groups[row["group_id"]] = {**row, "id": group_id}
    return len(new)


def _write_members(bundle: ParsedBundle, stored: Stored) -> int:
    new_clients = [r for _, r in bundle.members if r["member_id"] not in stored.clients]
    client_rows = [{"code": r["member_id"], "language": r["language"]} for r in new_clients]
    for row, (client_id,) in zip(
        new_clients, _insert_returning(Client, client_rows, Client.id), strict=True
    ):
        stored.clients[row["member_id"]] = {"id": client_id, "language": row["language"]}
    new = [
        r for _, r in bundle.members if (r["member_id"], r["group_id"]) not in stored.memberships
    ]
    rows = [
        {
            "client_id": stored.clients[r["member_id"]]["id"],
            "group_id": stored.groups[r["group_id"]]["id"],
            "joined_session": r["joined_session"],
        }
        for r in new
    ]
    for row, (membership_id,) in zip(
        new, _insert_returning(Membership, rows, Membership.id), strict=True
    ):
        stored.memberships[(row["member_id"], row["group_id"])] = {
            "id": membership_id,
            "joined_session": row["joined_session"],
        }
    return len(new)


def _write_sessions(bundle: ParsedBundle, stored: Stored, timezone: str) -> int:
    new = [r for _, r in bundle.sessions if (r["group_id"], r["session_no"]) not in stored.sessions]
    today = today_in(timezone)
    rows = [
        {
            "group_id": stored.groups[r["group_id"]]["id"],
            "number": r["session_no"],
            "planned_start": session_start(r["date"], None, timezone),
            "status": _session_status(r["held"], r["date"], today),
        }
        for r in new
    ]
    for row, (session_id,) in zip(
        new, _insert_returning(GroupSession, rows, GroupSession.id), strict=True
    ):
        stored.sessions[(row["group_id"], row["session_no"])] = {"id": session_id}
    return len(new)


def _session_status(held: bool, day: date, today: date) -> SessionStatus:
    """A bundle only says whether a session was held: one not held that is dated today or
    later is still to come (an export of a running group lists it), an earlier one was
    cancelled."""
    if held:
        return SessionStatus.HELD
    return SessionStatus.PLANNED if day >= today else SessionStatus.CANCELLED


def _write_attendance(bundle: ParsedBundle, stored: Stored) -> int:
    rows = [
        {
            "session_id": stored.sessions[(r["group_id"], r["session_no"])]["id"],
            "membership_id": stored.memberships[(r["member_id"], r["group_id"])]["id"],
            "status": r["status"],
        }
        for _, r in bundle.attendance
        if (r["group_id"], r["session_no"], r["member_id"]) not in stored.attendance
    ]
    if rows:
        db.session.execute(sa.insert(Attendance), rows)
    return len(rows)


def _write_responses(
    bundle: ParsedBundle, stored: Stored, library: Library, timezone: str
) -> tuple[int, int]:
    new = {
        key: rows for key, rows in administrations(bundle).items() if key not in stored.responses
    }
    if not new:
        return 0, 0
    keys = list(new)
    response_rows = [_response_row(key, new[key], stored, library, timezone) for key in keys]
    ids = [row.id for row in _insert_returning(Response, response_rows, Response.id)]
    answers = [
        {"response_id": response_id, "item": row["item"], "value": row["value"]}
        for response_id, key in zip(ids, keys, strict=True)
        for _, row in new[key]
    ]
    db.session.execute(sa.insert(Answer), answers)
    db.session.execute(
        sa.insert(Score), _score_rows(answers, dict(zip(ids, keys, strict=True)), library)
    )
    return len(keys), len(answers)


def _response_row(key: tuple, rows: list, stored: Stored, library: Library, timezone: str) -> dict:
    member, group, number, instrument = key
    completed: datetime = max(row["completed_at"] for _, row in rows)
    return {
        "membership_id": stored.memberships[(member, group)]["id"],
        "session_id": stored.sessions[(group, number)]["id"],
        "instrument_id": instrument,
        "instrument_version": library[instrument].version,
        "completed_at": to_utc(completed, timezone),
        "source": ResponseSource.IMPORT,
    }


def _score_rows(answers: list[dict], keys: dict[int, tuple], library: Library) -> list[dict]:
    frame = pd.DataFrame(answers)
    frame["instrument"] = frame["response_id"].map(lambda rid: keys[rid][3])
    rows: list[dict] = []
    for instrument_id, part in frame.groupby("instrument"):
        scored = score_frame(library[str(instrument_id)], part, by=["response_id"])
        rows += score_records(scored)
    return rows


def score_records(scored: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows for the scores table from a score_frame result keyed by response_id."""
    return [
        {
            "response_id": int(r.response_id),
            "scale": r.scale,
            "raw": float(r.raw),
            "value": None if pd.isna(r.value) else float(r.value),
            "items_missing": int(r.items_missing),
            "band": r.band,
        }
        for r in scored.itertuples(index=False)
    ]

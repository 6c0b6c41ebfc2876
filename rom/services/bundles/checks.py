"""Cross-file checks of a bundle, and its agreement with what is already stored."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from questionnaires import Library
from rom.schemas.bundle import Problem

Rows = list[tuple[int, dict[str, Any]]]


@dataclass
class ParsedBundle:
    groups: Rows = field(default_factory=list)
    members: Rows = field(default_factory=list)
    sessions: Rows = field(default_factory=list)
    attendance: Rows = field(default_factory=list)
    responses: Rows = field(default_factory=list)


def cross_file_problems(bundle: ParsedBundle, library: Library) -> list[Problem]:
    checks = (_duplicates, _member_groups, _session_groups, _attendance_refs, _response_refs)
    problems = [p for check in checks for p in check(bundle, library)]
    return problems


def _duplicates(bundle: ParsedBundle, _: Library) -> Iterator[Problem]:
    keys = {
        "groups.csv": (bundle.groups, ("group_id",)),
        "members.csv": (bundle.members, ("member_id",)),
        "sessions.csv": (bundle.sessions, ("group_id", "session_no")),
        "attendance.csv": (bundle.attendance, ("group_id", "session_no", "member_id")),
        "responses.csv": (
            bundle.responses,
            ("member_id", "group_id", "session_no", "instrument", "item"),
        ),
    }
    for name, (rows, columns) in keys.items():
        first_seen: dict[tuple, int] = {}
        for line, row in rows:
            key = tuple(row[c] for c in columns)
            if key in first_seen:
                yield Problem(
                    name, line, "", f"same {', '.join(columns)} as line {first_seen[key]}"
                )
            first_seen.setdefault(key, line)


def _member_groups(bundle: ParsedBundle, _: Library) -> Iterator[Problem]:
    groups = {row["group_id"]: row for _, row in bundle.groups}
    for line, row in bundle.members:
        group = groups.get(row["group_id"])
        if group is None:
            yield Problem("members.csv", line, "group_id", f"unknown group '{row['group_id']}'")
        elif row["joined_session"] > group["planned_sessions"]:
            yield Problem(
                "members.csv",
                line,
                "joined_session",
                f"after the group's last planned session ({group['planned_sessions']})",
            )


def _session_groups(bundle: ParsedBundle, _: Library) -> Iterator[Problem]:
    groups = {row["group_id"] for _, row in bundle.groups}
    for line, row in bundle.sessions:
        if row["group_id"] not in groups:
            yield Problem("sessions.csv", line, "group_id", f"unknown group '{row['group_id']}'")


def _attendance_refs(bundle: ParsedBundle, _: Library) -> Iterator[Problem]:
    members = {row["member_id"]: row for _, row in bundle.members}
    sessions = {(row["group_id"], row["session_no"]): row for _, row in bundle.sessions}
    for line, row in bundle.attendance:
        yield from _membership_problems("attendance.csv", line, row, members, sessions)
        session = sessions.get((row["group_id"], row["session_no"]))
        if session is not None and not session["held"]:
            yield Problem("attendance.csv", line, "session_no", "the session was not held")


def _membership_problems(
    name: str, line: int, row: dict[str, Any], members: dict, sessions: dict
) -> Iterator[Problem]:
    member = members.get(row["member_id"])
    if member is None:
        yield Problem(name, line, "member_id", f"unknown member '{row['member_id']}'")
    elif member["group_id"] != row["group_id"]:
        yield Problem(
            name,
            line,
            "group_id",
            f"member '{row['member_id']}' is not in group '{row['group_id']}'",
        )
    elif row["session_no"] < member["joined_session"]:
        yield Problem(
            name,
            line,
            "session_no",
            f"before the member joined (session {member['joined_session']})",
        )
    if (row["group_id"], row["session_no"]) not in sessions:
        yield Problem(
            name,
            line,
            "session_no",
            f"group '{row['group_id']}' has no session {row['session_no']}",
        )


def _response_refs(bundle: ParsedBundle, library: Library) -> Iterator[Problem]:
    members = {row["member_id"]: row for _, row in bundle.members}
    sessions = {(row["group_id"], row["session_no"]): row for _, row in bundle.sessions}
    for line, row in bundle.responses:
        yield from _membership_problems("responses.csv", line, row, members, sessions)
        yield from _answer_problems(line, row, library)


def _answer_problems(line: int, row: dict[str, Any], library: Library) -> Iterator[Problem]:
    if row["instrument"] not in library:
        yield Problem(
            "responses.csv", line, "instrument", f"unknown instrument '{row['instrument']}'"
        )
        return
    instrument = library[row["instrument"]]
    if row["item"] > len(instrument.items):
        yield Problem(
            "responses.csv",
            line,
            "item",
            f"{instrument.id} has {len(instrument.items)} items, not {row['item']}",
        )
        return
    allowed = instrument.item(row["item"]).values
    if row["value"] not in allowed:
        yield Problem(
            "responses.csv",
            line,
            "value",
            f"{row['value']} is not one of {sorted(allowed)} "
            f"for {instrument.id} item {row['item']}",
        )


def administrations(bundle: ParsedBundle) -> dict[tuple, list[tuple[int, dict[str, Any]]]]:
    """Response rows grouped per (member, group, session, instrument)."""
    grouped: dict[tuple, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for line, row in bundle.responses:
        key = (row["member_id"], row["group_id"], row["session_no"], row["instrument"])
        grouped[key].append((line, row))
    return grouped

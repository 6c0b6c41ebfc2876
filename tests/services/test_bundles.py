"""Bundle import is all or nothing, idempotent, and export gives back the same rows."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskCliRunner

from rom.extensions import db
from rom.models import (
    Answer,
    Attendance,
    Client,
    Group,
    GroupSession,
    Membership,
    Response,
    Score,
    SessionStatus,
)
from tests.bundles import TINY

TABLES = (Group, Client, GroupSession, Attendance, Response, Answer, Score)


def counts() -> dict[str, int]:
    return {
        m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in TABLES
    }


def copy_of_tiny(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(TINY, target)
    return target


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_import_stores_everything_with_scores(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rom", "import", str(TINY)])
    assert result.exit_code == 0, result.output
    assert counts() == {
        "groups": 1,
        "clients": 3,
        "group_sessions": 3,
        "attendance": 5,
        "responses": 5,
        "answers": 48,
        "scores": 7,
    }
    totals = dict(
        db.session.execute(
            sa.select(Client.code, Score.value)
            .join(Response, Score.response_id == Response.id)
            .join(GroupSession, Response.session_id == GroupSession.id)
            .join(Membership, Response.membership_id == Membership.id)
            .join(Client, Membership.client_id == Client.id)
            .where(
                Response.instrument_id == "phq9", GroupSession.number == 1, Score.scale == "total"
            )
        ).all()
    )
    assert totals == {"MA1": 11.0, "MA2": 19.0}


def test_reimporting_the_same_bundle_changes_nothing(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    before = counts()
    result = runner.invoke(args=["rom", "import", str(TINY)])
    assert result.exit_code == 0
    assert "groups: 0, members: 0, sessions: 0, attendance: 0, responses: 0" in result.output
    assert counts() == before


def test_a_bad_row_is_reported_with_file_line_column_and_reason(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bundle = copy_of_tiny(tmp_path)
    lines = (bundle / "responses.csv").read_text().splitlines()
    lines[5] = lines[5].replace(",phq9,5,1,", ",phq9,5,7,")
    (bundle / "responses.csv").write_text("\n".join(lines) + "\n")
    result = runner.invoke(args=["rom", "import", str(bundle)])
    assert result.exit_code == 1
    assert "responses.csv:6: value: 7 is not one of [0, 1, 2, 3] for phq9 item 5" in result.output
    assert "nothing was written" in result.output
    assert counts() == dict.fromkeys(counts(), 0)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "members.csv",
            "MA2,GA,1,en",
            "MA2,GA,1,de",
            "members.csv:3: language: Must be one of: nl, en.",
        ),
        (
            "sessions.csv",
            "GA,2,2026-03-09",
            "GA,2,2026-03-32",
            "sessions.csv:3: date: Not a valid date.",
        ),
        (
            "attendance.csv",
            "GA,2,MA3,present",
            "GA,2,MA9,present",
            "attendance.csv:6: member_id: unknown member 'MA9'",
        ),
        (
            "attendance.csv",
            "GA,1,MA1,present",
            "GA,1,MA1,here",
            "attendance.csv:2: status: Must be one of: present, absent, excused.",
        ),
        ("groups.csv", ",12,", ",twelve,", "groups.csv:2: planned_sessions: Not a valid integer."),
        (
            "responses.csv",
            "MA3,GA,2,phq9,1,0",
            "MA3,GA,1,phq9,1,0",
            "responses.csv:29: session_no: before the member joined (session 2)",
        ),
    ],
)
def test_each_kind_of_bad_row_is_refused_and_nothing_written(
    runner: FlaskCliRunner, tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    bundle = copy_of_tiny(tmp_path)
    text = (bundle / file).read_text()
    assert old in text
    (bundle / file).write_text(text.replace(old, new, 1))
    result = runner.invoke(args=["rom", "import", str(bundle)])
    assert result.exit_code == 1
    assert message in result.output
    assert counts() == dict.fromkeys(counts(), 0)


def test_a_changed_answer_on_reimport_is_refused_and_the_stored_answer_kept(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    bundle = copy_of_tiny(tmp_path)
    text = (bundle / "responses.csv").read_text()
    (bundle / "responses.csv").write_text(text.replace("MA1,GA,1,phq9,1,2", "MA1,GA,1,phq9,1,3"))
    result = runner.invoke(args=["rom", "import", str(bundle)])
    assert result.exit_code == 1
    assert "responses.csv:2: value: answers differ from the stored response" in result.output
    stored_total = sum(int(row["value"]) for row in rows_of(TINY / "responses.csv"))
    assert db.session.scalar(sa.select(sa.func.sum(Answer.value))) == stored_total


def test_missing_file_and_wrong_header_are_named(runner: FlaskCliRunner, tmp_path: Path) -> None:
    bundle = copy_of_tiny(tmp_path)
    (bundle / "attendance.csv").unlink()
    (bundle / "groups.csv").write_text("id,name\nGA,x\n")
    result = runner.invoke(args=["rom", "import", str(bundle)])
    assert "attendance.csv: file is missing" in result.output
    assert "groups.csv:1: header must be group_id, name" in result.output


def test_export_of_an_import_gives_back_the_same_rows(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    result = runner.invoke(args=["rom", "export", str(tmp_path / "out")])
    assert result.exit_code == 0
    for name in ("groups", "members", "sessions", "attendance", "responses"):
        original = sorted(map(sorted, (r.items() for r in rows_of(TINY / f"{name}.csv"))))
        exported = sorted(
            map(sorted, (r.items() for r in rows_of(tmp_path / "out" / f"{name}.csv")))
        )
        assert exported == original, name


@pytest.mark.parametrize(
    ("today", "third"),
    [
        (datetime(2026, 3, 12, 12, 0), SessionStatus.PLANNED),
        (datetime(2026, 3, 20, 12, 0), SessionStatus.CANCELLED),
    ],
)
def test_a_session_not_held_is_planned_while_it_is_still_to_come(
    runner: FlaskCliRunner, today: datetime, third: SessionStatus
) -> None:
    """The tiny bundle's third session (16 March) was not held: imported before that day it is
    still to come, so it stays planned and its members are invited; imported after it, it
    was cancelled."""
    with time_machine.travel(today, tick=False):
        assert runner.invoke(args=["rom", "import", str(TINY)]).exit_code == 0
    statuses = dict(db.session.execute(sa.select(GroupSession.number, GroupSession.status)).all())
    assert statuses == {1: SessionStatus.HELD, 2: SessionStatus.HELD, 3: third}


def test_sample_bundle_imports_and_round_trips(
    sqlite_only: Flask, sample_bundle: Path, tmp_path: Path
) -> None:
    """The full sample runs once, on SQLite; both backends run the tiny bundle above."""
    runner = sqlite_only.test_cli_runner()
    result = runner.invoke(args=["rom", "import", str(sample_bundle)])
    assert result.exit_code == 0, result.output
    assert counts()["answers"] == 148443
    runner.invoke(args=["rom", "export", str(tmp_path / "out")])
    original = rows_of(sample_bundle / "responses.csv")
    assert sorted(
        map(tuple, (r.values() for r in rows_of(tmp_path / "out" / "responses.csv")))
    ) == sorted(map(tuple, (r.values() for r in original)))

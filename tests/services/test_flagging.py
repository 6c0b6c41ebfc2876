"""Stored flags follow the signals: raised once, updated while they last, resolved when they end,
and an acknowledged episode is not raised again."""

from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner

from rom.extensions import db
from rom.models import Flag, FlagAction, FlagStatus, Role, StaffUser, utcnow
from rom.services.flagging import store_flags
from tests.bundles import TINY


def computed(session: int, *kinds: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "group_id": "GA",
                "member_id": member,
                "session_no": session,
                "kind": kind,
                "severity": "medium",
                "score": 0.3,
                "reasons": [{"code": "dropout_absent_now", "value": 1.0}],
                "action": "contact",
            }
            for member, kind in kinds
        ]
    )


def stored() -> list[Flag]:
    return db.session.scalars(sa.select(Flag).order_by(Flag.id)).all()


def test_lifecycle_raise_update_resolve(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    assert store_flags(computed(1, ("MA1", "dropout_risk")), {"GA"}).raised == 1
    db.session.commit()
    summary = store_flags(computed(2, ("MA1", "dropout_risk")), {"GA"})
    db.session.commit()
    assert (summary.raised, summary.updated) == (0, 1)
    [flag] = stored()
    assert (flag.raised_session, flag.last_session, flag.status) == (1, 2, FlagStatus.OPEN)
    summary = store_flags(computed(3, ("MA2", "not_on_track")), {"GA"})
    db.session.commit()
    assert (summary.raised, summary.resolved) == (1, 1)
    assert [f.status for f in stored()] == [FlagStatus.RESOLVED, FlagStatus.OPEN]


def test_acknowledged_episode_is_not_raised_again(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    store_flags(computed(1, ("MA1", "dropout_risk")), {"GA"})
    db.session.commit()
    staff = StaffUser(email="anna@x.nl", name="Anna", roles=[Role.THERAPIST], password_hash="x")
    db.session.add(staff)
    [flag] = stored()
    flag.acknowledged_by_id, flag.acknowledged_at = None, utcnow()
    flag.action, flag.note = FlagAction.CONTACT, "called, coming next week"
    db.session.commit()
    store_flags(computed(2, ("MA1", "dropout_risk")), {"GA"})
    db.session.commit()
    [same] = stored()
    assert same.action == FlagAction.CONTACT
    assert same.last_session == 2
    store_flags(computed(3), {"GA"})  # the episode ends
    store_flags(computed(4, ("MA1", "dropout_risk")), {"GA"})  # and a new one starts
    db.session.commit()
    flags = stored()
    assert [f.status for f in flags] == [FlagStatus.RESOLVED, FlagStatus.OPEN]
    assert flags[1].acknowledged_at is None


def test_flags_command_prints_open_flags_and_the_replay(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["rom", "import", str(TINY)])
    result = runner.invoke(args=["rom", "flags", "--replay", "--format", "csv", "--language", "en"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "group_id,member_id,session_no,kind,severity,score,reasons"
    assert "GA,MA2,1,critical_item,critical,,Reported thoughts of death or of self-harm" in lines
    current = runner.invoke(args=["rom", "flags", "--group", "GA"])
    assert current.exit_code == 0, current.output
    assert "critical" not in current.output  # the critical answer was at session 1
    assert "MA2           2 dropout_risk" in current.output  # excused, no questionnaire


def test_backtest_command_on_the_sample(sqlite_only: Flask, sample_bundle: Path) -> None:
    result = sqlite_only.test_cli_runner().invoke(args=["rom", "backtest", str(sample_bundle)])
    assert result.exit_code == 0, result.output
    assert "critical item  recall 1.00, precision 1.00" in result.output
    assert "dropout model at the end: refitted on" in result.output
    assert "non-responders flagged by their 4th own session" in result.output
    assert "dropout risk shown  member-sessions" in result.output
    assert "Brier score" in result.output


def test_a_finished_group_keeps_no_open_flags(app: Flask) -> None:
    from datetime import date

    from rom.demo import create_demo
    from rom.models import Membership

    create_demo(date(2026, 11, 24))  # computes the flags as of that day
    ended = {
        group_id
        for group_id, current in db.session.execute(
            sa.select(
                Membership.group_id,
                sa.func.sum(sa.case((Membership.left_session.is_(None), 1), else_=0)),
            ).group_by(Membership.group_id)
        )
        if current == 0
    }
    assert ended, "the demo has finished groups"
    still_open = db.session.scalars(
        sa.select(Flag).where(Flag.group_id.in_(ended), Flag.status == FlagStatus.OPEN)
    ).all()
    assert still_open == []
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Flag).where(Flag.status == FlagStatus.OPEN)
        )
        > 0
    )  # the running groups still have theirs

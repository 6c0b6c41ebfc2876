"""Stored flags follow the signals: raised once, updated while they last, resolved when they end,
and an acknowledged episode is not raised again."""

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskCliRunner

from rom.analytics.columns import GROUP, MEMBER, SESSION
from rom.analytics.replay import course_panel, current_flags
from rom.extensions import db
from rom.frames import load_frames
from rom.models import (
    Client,
    CourseFit,
    Flag,
    FlagAction,
    FlagStatus,
    Group,
    GroupSession,
    LeaveReason,
    Membership,
    Role,
    SessionStatus,
    StaffUser,
    utcnow,
)
from rom.services.flagging import recompute_flags, store_flags
from rom.synthetic import CohortSpec
from tests.bundles import TINY, import_cohort


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
    with time_machine.travel(datetime(2026, 3, 20, 10, 0), tick=False):  # GA is in treatment
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


DAY = date(2026, 6, 15)


@pytest.fixture
def imported_cohort(app: Flask, tmp_path: Path) -> None:
    """Groups from early 2025 to spring 2026, imported as they stood on DAY. The bundle does not
    say who left: every member is still current, in the groups that ended too."""
    import_cohort(
        CohortSpec(
            groups=10,
            seed=53,
            first_start=date(2025, 1, 6),
            last_start=date(2026, 4, 6),
            until=DAY,
        ),
        tmp_path / "bundle",
    )
    db.session.commit()


@pytest.fixture
def running_and_finished(imported_cohort: None) -> None:
    """The imported cohort, where the members of the groups whose sessions were all over have
    completed and the others are running."""
    last_session = (
        sa.select(sa.func.max(GroupSession.planned_start))
        .where(GroupSession.group_id == Group.id)
        .scalar_subquery()
    )
    finished = sa.select(Group).where(last_session < datetime(2026, 6, 1))
    for group in db.session.scalars(finished):
        for membership in db.session.scalars(
            sa.select(Membership).where(
                Membership.group_id == group.id, Membership.left_session.is_(None)
            )
        ):
            membership.left_session = group.planned_sessions
            membership.leave_reason = LeaveReason.COMPLETED
    db.session.commit()


def open_flag_keys() -> set[tuple[str, str | None, str]]:
    rows = db.session.execute(
        sa.select(Group.code, Client.code, Flag.kind)
        .join(Group, Flag.group_id == Group.id)
        .outerjoin(Membership, Flag.membership_id == Membership.id)
        .outerjoin(Client, Membership.client_id == Client.id)
        .where(Flag.status == FlagStatus.OPEN)
    )
    return {(group, member, kind.value) for group, member, kind in rows}


def current_members() -> set[tuple[str, str]]:
    """(group code, member code) of every membership that has not ended."""
    rows = db.session.execute(
        sa.select(Group.code, Client.code)
        .join(Membership.group)
        .join(Membership.client)
        .where(Membership.left_session.is_(None))
    )
    return {(group, member) for group, member in rows}


def running_groups() -> set[str]:
    return {group for group, _ in current_members()}


def test_the_recompute_reads_the_running_groups_and_stores_what_a_whole_computation_gives(
    running_and_finished: None,
) -> None:
    running = running_groups()
    with time_machine.travel(datetime(2026, 6, 15, 10, 0), tick=False):
        recompute_flags()
        db.session.commit()
        stored_flags = open_flag_keys()
        whole = current_flags(load_frames(), pd.Timestamp(DAY))
    expected = {
        (row.group_id, None if pd.isna(row.member_id) else row.member_id, row.kind)
        for row in whole.itertuples()
        if row.group_id in running
    }
    members = current_members()
    expected = {key for key in expected if key[1] is None or (key[0], key[1]) in members}
    assert 0 < len(running) < db.session.scalar(sa.select(sa.func.count()).select_from(Group))
    assert stored_flags
    assert stored_flags == expected
    assert {group for group, _, _ in stored_flags} <= running


def test_the_recompute_follows_the_days_stored_models_and_fits_them_once_a_day(
    running_and_finished: None,
) -> None:
    with time_machine.travel(datetime(2026, 6, 15, 10, 0), tick=False):
        recompute_flags()
        recompute_flags()
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseFit)) == 1
        fit = db.session.scalars(sa.select(CourseFit)).one()
        certain = dict(fit.dropout_model)
        certain["weights"] = {**certain["weights"], "intercept": 12.0}
        db.session.add(
            CourseFit(
                source=fit.source,
                closed_cases=fit.closed_cases,
                fractions=fit.fractions,
                dropout_model=certain,
            )
        )
        db.session.commit()
        recompute_flags()
        db.session.commit()
        panel = course_panel(load_frames().until(pd.Timestamp(DAY)))
    at_risk = {(g, m) for g, m, kind in open_flag_keys() if kind == "dropout_risk"}
    members = current_members()
    latest = panel[panel[SESSION] == panel.groupby(GROUP)[SESSION].transform("max")]
    at_latest_session = set(zip(latest[GROUP], latest[MEMBER], strict=True)) & members
    assert len(at_latest_session) > 10
    assert at_risk == at_latest_session  # a model sure that everyone drops out flags them all


def test_a_closed_session_recomputes_its_own_group_only(running_and_finished: None) -> None:
    running = sorted(running_groups())
    ids = dict(db.session.execute(sa.select(Group.code, Group.id)).all())
    with time_machine.travel(datetime(2026, 6, 15, 10, 0), tick=False):
        summary = recompute_flags(group_ids={ids[running[0]]})
        db.session.commit()
    assert summary.raised > 0
    assert {group for group, _, _ in open_flag_keys()} == {running[0]}


def last_sessions() -> dict[str, date]:
    rows = db.session.execute(
        sa.select(Group.code, sa.func.max(GroupSession.planned_start))
        .join(GroupSession)
        .group_by(Group.code)
    )
    return {code: start.date() for code, start in rows}


def test_the_flags_of_an_imported_group_that_ended_end_with_it(imported_cohort: None) -> None:
    """A group whose last session is more than eight weeks past is no longer in treatment, even
    when the bundle left its members current: its flags are resolved, not kept open forever."""
    last = last_sessions()
    ended = {code for code, day in last.items() if day < date(2026, 4, 20)}
    assert ended
    assert set(last) - ended
    with time_machine.travel(datetime(2026, 1, 15, 10, 0), tick=False):
        recompute_flags(date(2026, 1, 15))
        db.session.commit()
    flagged_then = {group for group, _, _ in open_flag_keys()}
    assert flagged_then & ended
    with time_machine.travel(datetime(2026, 6, 15, 10, 0), tick=False):
        recompute_flags()
        db.session.commit()
    flagged_now = {group for group, _, _ in open_flag_keys()}
    assert flagged_now
    assert not flagged_now & ended
    assert flagged_now <= set(last) - ended


def test_a_group_whose_remaining_sessions_were_cancelled_has_ended(imported_cohort: None) -> None:
    """A group that stopped early, its remaining sessions cancelled, is not kept in treatment
    by them: its flags are resolved like those of any group that ended."""
    last = last_sessions()
    with time_machine.travel(datetime(2026, 1, 15, 10, 0), tick=False):
        recompute_flags(date(2026, 1, 15))
        db.session.commit()
    ended = {code for code, day in last.items() if day < date(2026, 4, 20)}
    stopped = sorted({group for group, _, _ in open_flag_keys()} & ended)[0]
    group = db.session.scalar(sa.select(Group).where(Group.code == stopped))
    numbers = db.session.scalars(sa.select(GroupSession.number).where(GroupSession.group == group))
    db.session.add(
        GroupSession(
            group=group,
            number=max(numbers) + 1,
            planned_start=datetime(2026, 7, 1, 18, 0),
            status=SessionStatus.CANCELLED,
        )
    )
    db.session.commit()
    with time_machine.travel(datetime(2026, 6, 15, 10, 0), tick=False):
        recompute_flags()
        db.session.commit()
    assert stopped not in {group for group, _, _ in open_flag_keys()}

"""Frames keyed by numbers (what the hourly recompute and the daily refit read) give what frames
keyed by codes give: the same rows, flags in the same order, replay and fitted models. The codes
here sort against the order of the ids, and the cohort has a client in two groups, a client who
left and rejoined, and an attendance filed under a membership of another group."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from pandas.testing import assert_frame_equal, assert_series_equal

from rom.analytics.closed_cases import endings
from rom.analytics.dropout import model_as_record
from rom.analytics.inputs import Frames, KeyNames
from rom.analytics.replay import course_panel, current_flags, models_as_of, replay
from rom.extensions import db
from rom.frames import load_frames, numbered_frames, report_inputs
from rom.models import (
    Attendance,
    AttendanceStatus,
    Client,
    Group,
    GroupSession,
    LeaveReason,
    Membership,
)
from rom.services.courses import models_fitted_on
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort

DAY = date(2026, 6, 15)
AS_OF = pd.Timestamp(DAY)
KEYS = ("group_id", "member_id")


@pytest.fixture
def cohort(app: Flask, tmp_path: Path) -> None:
    spec = CohortSpec(
        groups=16, seed=61, first_start=date(2024, 9, 2), last_start=date(2026, 4, 6), until=DAY
    )
    import_cohort(spec, tmp_path / "bundle")
    for group in db.session.scalars(sa.select(Group)):
        group.code = f"Q{10_000 - group.id:05d}"  # codes sort against the ids
    for client in db.session.scalars(sa.select(Client)):
        client.code = f"R{1_000_000 - client.id:07d}"
    first, second = db.session.scalars(sa.select(Group).order_by(Group.id).limit(2)).all()
    member = db.session.scalars(sa.select(Membership).where(Membership.group_id == first.id))
    twice, rejoined, misfiled = member.all()[:3]
    db.session.add(Membership(client_id=twice.client_id, group_id=second.id, joined_session=3))
    rejoined.left_session, rejoined.leave_reason = 4, LeaveReason.MOVED
    db.session.add(Membership(client_id=rejoined.client_id, group_id=first.id, joined_session=7))
    session = db.session.scalars(
        sa.select(GroupSession).where(GroupSession.group_id == second.id)
    ).first()
    db.session.add(
        Attendance(
            session_id=session.id, membership_id=misfiled.id, status=AttendanceStatus.PRESENT
        )
    )
    db.session.commit()


def named(frames: Frames, names: KeyNames) -> Frames:
    return Frames(*(names.named(getattr(frames, f)) for f in Frames.__dataclass_fields__))


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Keys as text or None, in the rows' own order."""
    keys = {k: [None if pd.isna(v) else str(v) for v in frame[k]] for k in KEYS if k in frame}
    return frame.assign(**keys).reset_index(drop=True)


def test_numbers_follow_the_codes_and_stand_for_the_same_rows(cohort: None) -> None:
    coded = load_frames()
    numbered, names = numbered_frames()
    assert list(names.groups) == sorted(coded.groups["group_id"])
    assert list(names.members) == sorted(set(coded.roster["member_id"]))
    assert pd.api.types.is_integer_dtype(numbered.scores["member_id"])
    for field in Frames.__dataclass_fields__:
        assert_frame_equal(
            plain(getattr(named(numbered, names), field)),
            plain(getattr(coded, field)),
            check_dtype=False,
        )


def test_numbered_frames_give_the_same_flags_replay_and_models(cohort: None) -> None:
    coded = load_frames()
    numbered, names = numbered_frames()
    flags = current_flags(coded, AS_OF)
    assert flags["member_id"].isna().any()  # a group's own flags
    assert flags["member_id"].notna().any()
    assert_frame_equal(
        plain(names.named(current_flags(numbered, AS_OF))), plain(flags), check_dtype=False
    )
    by_code, by_number = replay(coded), replay(numbered)
    assert_frame_equal(plain(names.named(by_number.flags)), plain(by_code.flags), check_dtype=False)
    assert_series_equal(by_number.dropout_risk, by_code.dropout_risk)
    course, model = models_as_of(numbered, AS_OF)
    same_course, same_model = models_as_of(coded, AS_OF)
    assert same_course.closed_cases >= 100  # fitted, not the defaults
    assert model_as_record(model) == model_as_record(same_model)
    assert_frame_equal(course.fractions, same_course.fractions)
    chunked_course, chunked_model = models_fitted_on(AS_OF, chunk=3)  # as the daily refit reads
    assert model_as_record(chunked_model) == model_as_record(same_model)
    assert_frame_equal(chunked_course.fractions, same_course.fractions)


def test_some_groups_numbered(cohort: None) -> None:
    some = sorted(db.session.scalars(sa.select(Group.id)))[1::3]  # the second, not the first
    coded = load_frames(some)
    numbered, names = numbered_frames(some)
    assert len(names.groups) == len(some) == 5
    for field in Frames.__dataclass_fields__:
        assert_frame_equal(
            plain(getattr(named(numbered, names), field)),
            plain(getattr(coded, field)),
            check_dtype=False,
        )
    assert_frame_equal(
        plain(names.named(current_flags(numbered, AS_OF))),
        plain(current_flags(coded, AS_OF)),
        check_dtype=False,
    )


def test_the_reports_read_the_panel_and_endings_frames_keyed_by_code_give(cohort: None) -> None:
    coded = load_frames()
    panel = course_panel(coded)
    inputs = report_inputs()
    assert_frame_equal(inputs.panel, panel)
    assert_frame_equal(plain(inputs.endings), plain(endings(coded, panel)), check_dtype=False)
    assert_frame_equal(plain(inputs.roster), plain(coded.roster), check_dtype=False)

"""Frames keyed by numbers (what the hourly recompute and the daily refit read) give what frames
keyed by codes give: the same rows, flags, replay and fitted models."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask
from pandas.testing import assert_frame_equal, assert_series_equal

from rom.analytics.dropout import model_as_record
from rom.analytics.inputs import Frames, KeyNames
from rom.analytics.replay import current_flags, learning_rows_as_of, models_as_of, replay
from rom.extensions import db
from rom.frames import load_frames, numbered_frames
from rom.models import Group
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort

DAY = date(2026, 6, 15)
AS_OF = pd.Timestamp(DAY)
KEYS = ("group_id", "member_id")


@pytest.fixture
def cohort(app: Flask, tmp_path: Path) -> None:
    spec = CohortSpec(
        groups=8, seed=61, first_start=date(2025, 1, 6), last_start=date(2026, 4, 6), until=DAY
    )
    import_cohort(spec, tmp_path / "bundle")
    db.session.commit()


def named(frames: Frames, names: KeyNames) -> Frames:
    return Frames(*(names.named(getattr(frames, f)) for f in Frames.__dataclass_fields__))


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order, keys as text (a group's own flag has no member)."""
    keys = {k: [None if pd.isna(v) else str(v) for v in frame[k]] for k in KEYS if k in frame}
    plain = frame.assign(**keys)
    order = [c for c in plain.columns if c != "reasons"]  # lists do not sort
    return plain.sort_values(order, kind="stable", na_position="last").reset_index(drop=True)


def test_numbers_follow_the_codes_and_stand_for_the_same_rows(cohort: None) -> None:
    coded = load_frames()
    numbered, names = numbered_frames()
    assert list(names.groups) == sorted(coded.groups["group_id"])
    assert list(names.members) == sorted(set(coded.roster["member_id"]))
    assert pd.api.types.is_integer_dtype(numbered.scores["member_id"])
    for field in Frames.__dataclass_fields__:
        assert_frame_equal(
            comparable(getattr(named(numbered, names), field)),
            comparable(getattr(coded, field)),
            check_dtype=False,
        )


def test_numbered_frames_give_the_same_flags_replay_and_models(cohort: None) -> None:
    coded = load_frames()
    numbered, names = numbered_frames()
    assert len(current_flags(coded, AS_OF)) > 0
    assert_frame_equal(
        comparable(names.named(current_flags(numbered, AS_OF))),
        comparable(current_flags(coded, AS_OF)),
        check_dtype=False,
    )
    by_code, by_number = replay(coded), replay(numbered)
    assert_frame_equal(
        comparable(names.named(by_number.flags)), comparable(by_code.flags), check_dtype=False
    )
    assert_series_equal(by_number.dropout_risk, by_code.dropout_risk)
    rows = learning_rows_as_of(numbered, AS_OF)[0]
    assert rows["outcome_known"].sum() > 20
    course, model = models_as_of(numbered, AS_OF)
    same_course, same_model = models_as_of(coded, AS_OF)
    assert model_as_record(model) == model_as_record(same_model)
    assert_frame_equal(course.fractions, same_course.fractions)


def test_some_groups_numbered(cohort: None) -> None:
    some = sorted(db.session.scalars(sa.select(Group.id)))[::3]
    coded = load_frames(some)
    numbered, names = numbered_frames(some)
    assert len(names.groups) == len(some) == 3
    assert_frame_equal(
        comparable(names.named(numbered.scores)), comparable(coded.scores), check_dtype=False
    )

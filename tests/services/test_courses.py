"""The expected course is fitted by the scheduler and stored; readers get the newest fit."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask

from rom.analytics.expected_course import course_as_records, course_from_records, default_course
from rom.analytics.replay import models_as_of
from rom.extensions import db
from rom.frames import load_frames
from rom.models import CourseFit
from rom.services.courses import expected_course_today, models_fitted_on, refit_expected_course
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort


def test_a_course_survives_the_round_trip_through_json() -> None:
    course = default_course()
    back = course_from_records(course_as_records(course), course.source, course.closed_cases)
    pd.testing.assert_frame_equal(back.fractions, course.fractions, check_names=False)


def test_readers_get_the_newest_stored_fit_and_fit_once_when_none_exists(app: Flask) -> None:
    first = expected_course_today()  # nothing stored yet: fitted (defaults) and stored
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CourseFit)) == 1
    assert first.closed_cases == 0
    newer = refit_expected_course(date(2026, 11, 24))
    newer.source = "a newer fit"
    db.session.commit()
    assert expected_course_today().source == "a newer fit"


def test_the_fit_read_a_chunk_of_groups_at_a_time_is_the_fit_of_everything(
    sqlite_only: Flask, tmp_path: Path
) -> None:
    """The daily refit reads a few groups at a time so its memory does not grow with the
    history; what it learns must be what one read of everything gives."""
    import_cohort(
        CohortSpec(
            groups=40,
            seed=11,
            first_start=date(2025, 1, 6),
            last_start=date(2025, 9, 1),
            until=date(2026, 3, 1),
        ),
        tmp_path / "bundle",
    )
    db.session.commit()
    day = pd.Timestamp(date(2026, 3, 1))
    whole_course, whole_model = models_as_of(load_frames(), day)
    course, model = models_fitted_on(day, chunk=5)
    assert whole_course.closed_cases >= 100  # fitted, not the shipped defaults
    assert whole_model.source.startswith("refitted")
    assert course.closed_cases == whole_course.closed_cases
    assert model.source == whole_model.source
    pd.testing.assert_frame_equal(course.fractions, whole_course.fractions)
    assert model.weights == pytest.approx(whole_model.weights, rel=1e-6, abs=1e-9)

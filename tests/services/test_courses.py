"""The expected course is fitted by the scheduler and stored; readers get the newest fit."""

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import Flask

from rom.analytics.expected_course import course_as_records, course_from_records, default_course
from rom.extensions import db
from rom.models import CourseFit
from rom.services.courses import expected_course_today, refit_expected_course


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

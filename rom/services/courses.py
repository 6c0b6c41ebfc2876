"""The platform's expected course: refitted by the scheduler and stored, read by reports and
dashboards (a request never waits for a fit unless none was ever stored)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from rom.analytics.expected_course import (
    ExpectedCourse,
    course_as_records,
    course_from_records,
    default_course,
)
from rom.analytics.replay import course_as_of
from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import load_frames
from rom.models import CourseFit


def refit_expected_course(today: date | None = None) -> CourseFit:
    """Fit the course on the cases closed before today and add it to the caller's transaction."""
    frames = load_frames()
    day = pd.Timestamp(today or organisation_today())
    course = course_as_of(frames, day) if len(frames.sessions) else default_course()
    fit = CourseFit(
        source=course.source,
        closed_cases=course.closed_cases,
        fractions=course_as_records(course),
    )
    db.session.add(fit)
    return fit


FITS = CourseFit.__table__
# Asked on every thank-you page with a chart: built once, run as Core (the ORM's select of two
# columns cost three times the query).
NEWEST_FIT = sa.select(FITS.c.id, FITS.c.fitted_at).order_by(FITS.c.id.desc()).limit(1)


def expected_course_today() -> ExpectedCourse:
    """The newest stored fit (kept per process while it is the newest)."""
    newest = db.session.connection().execute(NEWEST_FIT).first()
    cached = current_app.extensions.get("kring.course")
    if newest is not None and cached is not None and cached[0] == tuple(newest):
        return cached[1]
    fit = db.session.get(CourseFit, newest.id) if newest is not None else refit_expected_course()
    course = course_from_records(fit.fractions, fit.source, fit.closed_cases)
    current_app.extensions["kring.course"] = ((fit.id, fit.fitted_at), course)
    return course


def expected_scores(
    course: ExpectedCourse, intake: float | pd.Series, own: pd.Series
) -> pd.DataFrame:
    """Expected PHQ-9 score at each own session for the intake (one value, or one per row):
    one column per percentile of improvement (so the 75th gives the lower score)."""
    start = intake if isinstance(intake, pd.Series) else pd.Series(intake, index=own.index)
    return course.band_at(start, own).rsub(start, axis=0)

"""The platform's expected course and dropout model: refitted daily by the scheduler and stored,
read by reports, dashboards and the recomputes of flags (a request never waits for a fit unless
none was ever stored)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from rom.analytics.columns import OWN, SESSION, SYMPTOMS
from rom.analytics.dropout import (
    DropoutModel,
    default_model,
    model_as_record,
    model_from_record,
)
from rom.analytics.expected_course import (
    ExpectedCourse,
    course_as_records,
    course_from_records,
    default_course,
)
from rom.analytics.panel import MKEY
from rom.analytics.replay import fitted_models, learning_rows_as_of
from rom.clock import organisation_today, to_local
from rom.extensions import db
from rom.frames import numbered_frames
from rom.models import CourseFit, Group

REFIT_CHUNK = 1000  # groups read at once by a fit: its memory follows this, not the history
LEARNED = ["intake", SYMPTOMS, OWN, MKEY, SESSION, "dropout_session", "outcome_known"]
"""The columns of a closed case's rows that the fits read."""


def refit_expected_course(today: date | None = None) -> CourseFit:
    """Fit the course and the dropout model on the cases closed before today and add them to the
    caller's transaction."""
    course, model = models_fitted_on(pd.Timestamp(today or organisation_today()))
    fit = CourseFit(
        source=course.source,
        closed_cases=course.closed_cases,
        fractions=course_as_records(course),
        dropout_model=model_as_record(model),
    )
    db.session.add(fit)
    return fit


def models_on(day: date) -> tuple[ExpectedCourse, DropoutModel]:
    """The expected course and dropout model fitted on the cases closed before `day`. For today:
    today's stored fit, or one fitted now and stored (as the daily refit would); for another
    day, fitted on the spot and not stored."""
    if day != organisation_today():
        return models_fitted_on(pd.Timestamp(day))
    fit = db.session.scalars(sa.select(CourseFit).order_by(CourseFit.id.desc()).limit(1)).first()
    timezone = current_app.config["TIMEZONE"]
    if fit is None or fit.dropout_model is None or to_local(fit.fitted_at, timezone).date() != day:
        fit = refit_expected_course(day)
    course = course_from_records(fit.fractions, fit.source, fit.closed_cases)
    return course, model_from_record(fit.dropout_model)


def models_fitted_on(
    day: pd.Timestamp, chunk: int = REFIT_CHUNK
) -> tuple[ExpectedCourse, DropoutModel]:
    """The course and dropout model fitted on the cases closed before `day`, reading `chunk`
    groups at a time and keeping only what the fit learns from (every factor is the member's
    or their group's own, so the rows are the same as from one read of everything)."""
    ids = list(db.session.scalars(sa.select(Group.id).order_by(Group.id)))
    rows, values, members = [], [], 0
    for start in range(0, len(ids), chunk):
        frames = numbered_frames(ids[start : start + chunk])[0]
        if not len(frames.sessions):
            continue
        part, part_values = learning_rows_as_of(frames, day)
        rows.append(part[LEARNED].assign(**{MKEY: part[MKEY] + members}))  # unique across chunks
        values.append(part_values)
        members += int(part[MKEY].max()) + 1 if len(part) else 0
    if not rows:
        return default_course(), default_model()
    return fitted_models(pd.concat(rows, ignore_index=True), pd.concat(values, ignore_index=True))


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

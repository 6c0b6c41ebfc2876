"""The platform's expected course as of today, shared by reports and dashboards."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from rom.analytics.expected_course import ExpectedCourse, default_course
from rom.analytics.replay import course_as_of
from rom.extensions import db
from rom.frames import load_frames
from rom.models import Membership


def expected_course_today() -> ExpectedCourse:
    """Fitted again when the day or the number of ended memberships changes (it is a reference
    drawn from all closed cases; shipped defaults until there are enough)."""
    today = date.today()
    ended = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(Membership.left_session.is_not(None))
    )
    key = (today, ended)
    cached = current_app.extensions.get("kring.course")
    if cached is not None and cached[0] == key:
        return cached[1]
    frames = load_frames()
    course = course_as_of(frames, pd.Timestamp(today)) if len(frames.sessions) else None
    course = course or default_course()
    current_app.extensions["kring.course"] = (key, course)
    return course


def expected_scores(course: ExpectedCourse, intake: float, own: pd.Series) -> pd.DataFrame:
    """Expected PHQ-9 score per own session for this intake: one column per percentile."""
    return intake - course.band_at(pd.Series(intake, index=own.index), own)

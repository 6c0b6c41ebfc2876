"""The expected course: its default, and refits from closed cases."""

import numpy as np
import pandas as pd

from rom.analytics.expected_course import default_course, fitted_course


def test_default_course_widens_and_the_median_improves_over_sessions() -> None:
    course = default_course()
    intake = pd.Series([18.0, 18.0, 18.0])
    bands = course.band_at(intake, pd.Series([1, 4, 12]))
    assert bands[50].tolist()[0] == 0
    assert bands[50].is_monotonic_increasing
    assert (bands[10] < bands[50]).iloc[1:].all()
    assert (bands[90] > bands[50]).iloc[1:].all()


def test_course_is_refitted_from_closed_cases_once_there_are_enough() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for member in range(150):
        intake = 16.0
        for own in range(1, 11):
            rows.append(
                {
                    "member_key": member,
                    "own_session": own,
                    "intake": intake,
                    "phq9": intake - 0.6 * own + rng.normal(0, 0.5),
                }
            )
    fitted = fitted_course(pd.DataFrame(rows))
    assert fitted.closed_cases == 150
    median_at_10 = fitted.band_at(pd.Series([16.0]), pd.Series([10]))[50].iloc[0]
    assert abs(median_at_10 - 6.0) < 1.0
    few = fitted_course(pd.DataFrame(rows[:50]))
    assert few.source.startswith("Kring defaults")


def test_one_members_course_is_the_same_as_the_panels() -> None:
    """The thank-you page reads one member's band without pandas; it must agree with the
    vectorised form for every intake band, session and percentile."""
    rng = np.random.default_rng(2)
    rows = [
        {"member_key": m, "own_session": own, "intake": intake, "phq9": intake - 0.5 * own}
        for m, intake in enumerate(rng.uniform(3, 27, 160))
        for own in range(1, 15)
    ]
    owns = [1, 2, 5, 12, 24, 30]
    for course in (default_course(), fitted_course(pd.DataFrame(rows))):
        for intake in (4.0, 10.0, 14.9, 15.0, 22.5, 27.0):
            vectorised = course.band_at(pd.Series([intake] * len(owns)), pd.Series(owns))
            single = course.points_for(intake, owns)
            for percentile, values in single.items():
                assert np.allclose(values, vectorised[percentile].to_numpy())

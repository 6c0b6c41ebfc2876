"""The expected course and the dropout model: defaults, refits, and discrimination."""

import numpy as np
import pandas as pd

from rom.analytics.dropout import FACTORS, area_under_curve, default_model, fitted_model
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


def test_logistic_refit_recovers_the_factors_that_matter() -> None:
    rng = np.random.default_rng(7)
    n = 6000
    values = pd.DataFrame({name: rng.integers(0, 2, n).astype(float) for name in FACTORS})
    linear = -3.0 + 2.0 * values["absent_now"] + 1.5 * values["unanswered_now"]
    labels = pd.Series((rng.random(n) < 1 / (1 + np.exp(-linear))).astype(float))
    model = fitted_model(values, labels, pd.Series(np.arange(n) // 10))
    assert model.weights["absent_now"] > 1.5
    assert model.weights["unanswered_now"] > 1.0
    assert abs(model.weights["first_sessions"]) < 0.3
    assert model.auc > 0.7


def test_too_few_closed_cases_keep_the_default_weights() -> None:
    values = pd.DataFrame({name: [0.0, 1.0] * 10 for name in FACTORS})
    model = fitted_model(values, pd.Series([0.0, 1.0] * 10), pd.Series(range(20)))
    assert model == default_model()


def test_area_under_curve() -> None:
    assert area_under_curve(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == 0.75


def test_the_final_sessions_of_a_closed_group_lower_the_dropout_risk() -> None:
    from rom.analytics.replay import prepared_panel
    from tests.analytics.builders import frames_for

    absent_late = ["present"] * 7 + ["absent"] * 3
    risk = {}
    for group_format in ("closed", "slow_open"):
        _, values = prepared_panel(
            frames_for({"M": {"status": absent_late}}, sessions=10, group_format=group_format)
        )
        final = values["final_sessions"].tolist()
        risk[group_format] = default_model().probability(values).tolist()
        if group_format == "closed":  # after sessions 8, 9 and 10 fewer than three are left
            assert final == [0.0] * 7 + [1.0] * 3
        else:
            assert final == [0.0] * 10
    assert all(c < s for c, s in zip(risk["closed"][7:], risk["slow_open"][7:], strict=True))
    assert risk["closed"][:7] == risk["slow_open"][:7]

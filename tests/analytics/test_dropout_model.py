"""The dropout model: default weights, refits, and discrimination."""

import numpy as np
import pandas as pd

from rom.analytics.dropout import FACTORS, area_under_curve, default_model, fitted_model


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


def test_the_shipped_weights_are_those_fitted_on_their_documented_cohort() -> None:
    """Not set by hand, nor on the sample bundle: `flask rom dropout-defaults` makes them."""
    from rom.analytics.dropout import DEFAULT_WEIGHTS
    from rom.synthetic import DROPOUT_DEFAULTS_COHORT, dropout_model_on

    fitted = dropout_model_on(DROPOUT_DEFAULTS_COHORT).weights
    assert {name: round(weight, 2) for name, weight in fitted.items()} == DEFAULT_WEIGHTS

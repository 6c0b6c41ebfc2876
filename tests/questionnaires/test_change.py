"""Jacobson-Truax reliable change and clinical significance, scalar and vectorised."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionnaires import classify_change, load_library, reliable_change_index

PHQ = load_library()["phq9"].scale("total")
GAD = load_library()["gad7"].scale("total")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (18, 8, "recovered"),  # 10 points better, from clinical to below the cut-off
        (22, 16, "improved"),  # exactly the 6-point threshold, still above the cut-off
        (22, 17, "unchanged"),  # 5 points: not reliable
        (12, 9, "unchanged"),  # below the cut-off but not a reliable change
        (8, 14, "deteriorated"),  # 6 points worse
        (6, 1, "unchanged"),  # started below the cut-off: 5 points is not reliable
        (9, 2, "improved"),
    ],  # started below the cut-off: cannot recover, can improve
)
def test_phq9_classification(before: float, after: float, expected: str) -> None:
    assert classify_change(before, after, PHQ) == expected


def test_gad7_thresholds() -> None:
    assert classify_change(12, 8, GAD) == "improved"  # 8 is the cut-off: still clinical
    assert classify_change(12, 7, GAD) == "recovered"
    assert classify_change(7, 11, GAD) == "deteriorated"


def test_reliable_change_index_uses_the_standard_error_of_difference() -> None:
    rci = reliable_change_index(20, 14, PHQ)
    assert rci == pytest.approx(-6 / PHQ.norms.standard_error_of_difference)
    assert abs(rci) == pytest.approx(1.96, abs=0.01)


def test_classification_is_vectorised_and_keeps_missing_scores_missing() -> None:
    before = pd.Series([18, 22, 8, None, 15.0])
    after = pd.Series([8, 16, 14, 10, None])
    result = classify_change(before, after, PHQ)
    assert list(result) == ["recovered", "improved", "deteriorated", None, None]


@given(st.floats(0, 27), st.floats(0, 27))
def test_reliable_change_is_antisymmetric(a: float, b: float) -> None:
    assert reliable_change_index(a, b, PHQ) == pytest.approx(-reliable_change_index(b, a, PHQ))

"""Scores are exact: the YAML's own vectors plus cases written here from the published rules."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from questionnaires import AnswerError, load_library, score, score_frame

LIBRARY = load_library()
PHQ9, GAD7, GCQ, GCS = (LIBRARY[i] for i in ("phq9", "gad7", "gcq_s", "gcs"))


@pytest.mark.parametrize(
    ("instrument", "vector"),
    [(i, v) for i in LIBRARY for v in i.test_vectors],
    ids=lambda x: getattr(x, "id", None),
)
def test_vectors_in_the_definition_files(instrument, vector) -> None:
    result = score(instrument, vector.answers)
    for scale_id, expected in vector.expect.items():
        got = result.scales[scale_id]
        for attribute, value in expected.items():
            assert getattr(got, attribute) == value, (scale_id, attribute)


def test_phq9_all_zeros_and_all_maxima() -> None:
    assert score(PHQ9, dict.fromkeys(range(1, 10), 0)).scales["total"].value == 0
    assert score(PHQ9, dict.fromkeys(range(1, 10), 3)).scales["total"].value == 27


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately_severe"),
        (19, "moderately_severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_band_edges(total: int, band: str) -> None:
    answers = dict.fromkeys(range(1, 10), 0)
    for item in range(1, 10):
        answers[item] = min(3, total - sum(answers.values()))
    assert sum(answers.values()) == total
    assert score(PHQ9, answers).scales["total"].band == band


@pytest.mark.parametrize(
    ("total", "band"),
    [(4, "minimal"), (5, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe")],
)
def test_gad7_band_edges(total: int, band: str) -> None:
    answers = dict.fromkeys(range(1, 8), 0)
    for item in range(1, 8):
        answers[item] = min(3, total - sum(answers.values()))
    assert score(GAD7, answers).scales["total"].band == band


def test_one_missing_phq9_item_is_prorated_and_two_make_it_invalid() -> None:
    one = score(PHQ9, {**dict.fromkeys(range(1, 9), 2), 9: None}).scales["total"]
    assert (one.raw, one.value, one.items_missing, one.valid) == (16, 18.0, 1, True)
    two = score(PHQ9, dict.fromkeys(range(1, 8), 2)).scales["total"]
    assert (two.value, two.items_missing, two.valid) == (None, 2, False)
    assert two.reason == "2 of 9 items missing; at most 1 allowed"


def test_avoidance_allows_no_missing_item() -> None:
    answers = dict.fromkeys(range(1, 13), 3)
    answers[5] = None
    result = score(GCQ, answers).scales
    assert result["avoidance"].valid is False
    assert result["engagement"].valid
    assert result["conflict"].valid


def test_reversed_item_is_scored_from_the_other_end() -> None:
    from dataclasses import replace

    scale = replace(GCS.scale("cohesion"), reversed=frozenset({7}))
    reversed_gcs = replace(GCS, scales=(scale,))
    answers = {**dict.fromkeys(range(1, 7), 6), 7: 0}
    assert score(reversed_gcs, answers).scales["cohesion"].value == 6
    assert score(GCS, answers).scales["cohesion"].value == pytest.approx(36 / 7, abs=1e-4)


@pytest.mark.parametrize("value", [1, 2, 3])
def test_phq9_item_9_above_zero_is_critical(value: int) -> None:
    result = score(PHQ9, {**dict.fromkeys(range(1, 9), 0), 9: value})
    assert [c.item for c in result.critical] == [9]


def test_phq9_item_9_zero_is_not_critical() -> None:
    assert score(PHQ9, dict.fromkeys(range(1, 10), 0)).critical == ()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({1: 4}, "item 1: 4 is not one of [0, 1, 2, 3]"),
        ({10: 1}, "item 10 does not exist"),
        ({1: "2"}, "'2' is not a whole number"),
        ({1: 1.5}, "1.5 is not a whole number"),
        ({1: True}, "True is not a whole number"),
        ({"1": 1}, "item '1' does not exist"),
    ],
)
def test_bad_answers_raise_and_nothing_is_guessed(answers: dict, message: str) -> None:
    with pytest.raises(AnswerError, match=message.replace("[", r"\[").replace("]", r"\]")):
        score(PHQ9, answers)


def frame_of(instrument, administrations: list[dict]) -> pd.DataFrame:
    rows = [
        {"admin": n, "item": item, "value": value}
        for n, answers in enumerate(administrations)
        for item, value in answers.items()
        if value is not None
    ]
    return pd.DataFrame(rows)


def test_frame_scoring_agrees_with_single_scoring() -> None:
    administrations = [v.answers for v in GCQ.test_vectors] + [dict.fromkeys(range(1, 13), 5)]
    frame = score_frame(GCQ, frame_of(GCQ, administrations), by=["admin"])
    for n, answers in enumerate(administrations):
        single = score(GCQ, answers).scales
        for row in frame[frame["admin"] == n].itertuples():
            expected = single[row.scale].value
            assert math.isnan(row.value) if expected is None else row.value == expected
            assert row.valid == single[row.scale].valid


def test_frame_scoring_refuses_out_of_range_values() -> None:
    with pytest.raises(AnswerError, match="item 2: 1 value"):
        score_frame(
            PHQ9, pd.DataFrame({"admin": [1, 1], "item": [1, 2], "value": [0, 7]}), by=["admin"]
        )


def test_frame_scoring_gives_bands() -> None:
    frame = frame_of(PHQ9, [dict.fromkeys(range(1, 10), 1), dict.fromkeys(range(1, 10), 3)])
    result = score_frame(PHQ9, frame, by=["admin"])
    assert list(result["band"]) == ["mild", "severe"]


answer_sets = st.fixed_dictionaries(
    {n: st.one_of(st.none(), st.integers(0, 6)) for n in range(1, 13)}
)


@given(answer_sets)
def test_a_score_always_lies_in_its_scale_range(answers: dict) -> None:
    for scale in score(GCQ, answers).scales.values():
        if scale.valid:
            spec = GCQ.scale(scale.scale)
            assert spec.minimum <= scale.value <= spec.maximum


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9), st.integers(1, 9))
def test_one_more_point_never_lowers_a_sum_score(values: list[int], item: int) -> None:
    answers = dict(zip(range(1, 10), values, strict=True))
    before = score(PHQ9, answers).scales["total"].value
    if answers[item] < 3:
        answers[item] += 1
        assert score(PHQ9, answers).scales["total"].value >= before

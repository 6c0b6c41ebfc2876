"""A briefing's talking points read in the reader's language, with its decimal mark."""

import pytest
from flask import Flask

from rom.analytics.talking_points import Point
from rom.talking_point_words import POINTS, point_text


def test_a_change_is_written_with_the_languages_decimal_mark(sqlite_only: Flask) -> None:
    rising = Point("conflict_rising", {"before": 1.0, "now": 2.04})
    assert point_text(rising, "nl") == (
        "De spanning in de groep nam toe (1,0 → 2,0): benoem het en vraag wat de groep nodig heeft."
    )
    assert point_text(rising, "en") == (
        "Tension in the group rose (1.0 → 2.0): name it and ask what the group needs."
    )


def test_counts_read_whole(sqlite_only: Flask) -> None:
    low = Point("low_response", {"answered": 4, "invited": 8})
    assert point_text(low, "en").startswith("Only 4 of 8 filled in the questionnaire")
    assert point_text(low, "nl").startswith("Maar 4 van 8 vulden de vragenlijst in")


@pytest.mark.parametrize("code", sorted(POINTS))
def test_every_point_has_english_words(sqlite_only: Flask, code: str) -> None:
    point = Point(code, dict.fromkeys(POINTS[code].decimals, 3))
    assert point_text(point, "en") != point_text(point, "nl")

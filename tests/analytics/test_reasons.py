"""Reasons read as a clinician would write them."""

from rom.analytics.reasons import reason_text


def test_counts_read_whole_even_when_stored_as_decimals() -> None:
    stored = {"code": "many_flagged", "flagged": 4.0, "members": 9.0}
    assert reason_text(stored) == "4 van 9 leden vragen aandacht"
    assert reason_text(stored, "en") == "4 of 9 members need attention"


def test_measurements_keep_their_decimal() -> None:
    fell = {"code": "cohesion_fell", "now": 3.5, "before": 4.0}
    assert reason_text(fell) == "Cohesie gedaald naar 3,5 (was 4,0)"  # a Dutch decimal comma
    assert reason_text(fell, "en") == "Cohesion fell to 3.5 (was 4.0)"

"""Reasons read as a clinician would write them, in the reader's language: analytics stores codes
with numbers, the catalogue gives the words."""

from pathlib import Path

from flask import Flask

from rom.extensions import db
from rom.flag_reasons import action_text, kind_text, reason_text, reasons_text
from rom.models import Flag, FlagKind, Severity
from tests.conftest import require
from tests.factories import make_group, make_member
from tests.personas import cast
from tests.staff_session import log_in
from tests.web.pdfs import pdf_text


def test_counts_read_whole_even_when_stored_as_decimals(sqlite_only: Flask) -> None:
    stored = {"code": "many_flagged", "flagged": 4.0, "members": 9.0}
    assert reason_text(stored) == "4 van 9 leden vragen aandacht"
    assert reason_text(stored, "en") == "4 of 9 members need attention"


def test_measurements_keep_their_decimal(sqlite_only: Flask) -> None:
    fell = {"code": "cohesion_fell", "now": 3.5, "before": 4.0}
    assert reason_text(fell) == "Cohesie gedaald naar 3,5 (was 4,0)"  # a Dutch decimal comma
    assert reason_text(fell, "en") == "Cohesion fell to 3.5 (was 4.0)"


def test_a_dropout_risk_reads_as_a_chance_in_the_readers_language(sqlite_only: Flask) -> None:
    chance = {"code": "dropout_chance", "percent": 35}
    assert reason_text(chance) == "35% kans op uitval binnen drie sessies"
    assert reason_text(chance, "en") == "35% chance of dropping out within three sessions"


def test_every_reason_kind_and_action_has_english_words(sqlite_only: Flask) -> None:
    """A flag read in English says nothing in Dutch, whatever it is about."""
    from rom.flag_reasons import ACTIONS, KINDS, REASONS

    for code, wording in REASONS.items():
        numbers = dict.fromkeys(wording.decimals, 2.5)
        assert reason_text({"code": code, **numbers}, "en") != reason_text(
            {"code": code, **numbers}, "nl"
        ), code
    assert all(action_text(a, "en") != action_text(a, "nl") for a in ACTIONS)
    assert all(kind_text(k, "en") != kind_text(k, "nl") for k in KINDS)


def test_a_missing_number_reads_as_a_dash_not_a_placeholder(sqlite_only: Flask) -> None:
    assert reasons_text([{"code": "cohesion_fell", "now": 3.5}], "en") == (
        "Cohesion fell to 3.5 (was –)"
    )


def test_a_therapist_reading_in_english_sees_the_stored_flag_in_english_on_page_and_pdf(
    app: Flask,
) -> None:
    """Flags are stored as codes with numbers (also those raised before this was so worded):
    the member page and the member's PDF word them in the reader's language only."""
    require(Path("/usr/bin/pdftotext").exists(), "poppler-utils (pdftotext) is not installed")
    team = cast()
    team.anna.language = "en"
    group = make_group(therapists=(team.anna,))
    member = make_member(group)
    db.session.add(
        Flag(
            group_id=group.id,
            membership_id=member.id,
            kind=FlagKind.DETERIORATION,
            severity=Severity.HIGH,
            reasons=[
                {
                    "code": "reliable_worsening",
                    "now": 19.0,
                    "before": 18,
                    "intake": 9.0,
                    "threshold": 6.0,
                }
            ],
            suggested_action="discuss_in_team",
            raised_session=3,
            last_session=3,
        )
    )
    db.session.commit()
    client = app.test_client()
    log_in(client, "anna@kring.test")
    page = " ".join(client.get(f"/staff/members/{member.id}").get_data(as_text=True).split())
    pdf = " ".join(pdf_text(client.get(f"/staff/members/{member.id}/report.pdf").data).split())
    worded = "Symptoms reliably worse: 19 now and 18 before, against 9 at the start"
    for shown in (page, pdf):
        assert worded in shown
        assert "Deterioration" in shown
        assert "Klachten" not in shown
        assert "Verslechtering" not in shown
    assert "Discuss in the team; consider stepping up" in page

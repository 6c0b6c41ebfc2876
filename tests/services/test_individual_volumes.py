"""The organisation's individual treatment volume: one year set (and set again), a CSV of years
stored whole or not at all, every refusal naming its line (read here in English), every change
audited and nothing committed by the service."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale

from rom.extensions import db
from rom.models import AuditEvent, IndividualVolume, VolumeSource
from rom.services.individual_volumes import (
    VolumeError,
    import_individual_volumes,
    individual_volumes,
    record_individual_volume,
)
from tests.factories import make_therapist


def changes() -> list[tuple[str | None, dict]]:
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == "individual_volume")
        .order_by(AuditEvent.id)
    )
    return [(event.subject_id, event.detail) for event in events]


def refusal(csv_text: str) -> str:
    user = make_therapist()
    with pytest.raises(VolumeError) as refused:
        import_individual_volumes(csv_text, user)
    with force_locale("en"):
        return str(refused.value)


def test_a_year_set_again_keeps_the_newest_figure_and_audits_both(app: Flask) -> None:
    user = make_therapist()
    record_individual_volume(2025, 40_000, user, VolumeSource.FORM)
    record_individual_volume(2025, 41_250, user, "csv")
    record_individual_volume(2026, 0, user, VolumeSource.FORM)
    assert individual_volumes() == {2025: 41_250, 2026: 0}
    stored = db.session.get(IndividualVolume, 2025)
    assert (stored.source, stored.recorded_by_id) == (VolumeSource.CSV, user.id)
    assert changes() == [
        ("2025", {"sessions": 40_000, "previous": None, "source": "form", "token": None}),
        ("2025", {"sessions": 41_250, "previous": 40_000, "source": "csv", "token": None}),
        ("2026", {"sessions": 0, "previous": None, "source": "form", "token": None}),
    ]


def test_the_service_leaves_the_commit_to_its_caller(app: Flask) -> None:
    user = make_therapist()
    db.session.commit()
    import_individual_volumes("year,sessions\n2024,100\n", user)
    db.session.rollback()
    assert individual_volumes() == {}
    assert changes() == []


@pytest.mark.parametrize(
    ("year", "sessions"), [(1999, 10), (2101, 10), (2025, -1), (2025, 10_000_001)]
)
def test_a_year_or_figure_out_of_range_is_refused(app: Flask, year: int, sessions: int) -> None:
    with pytest.raises(VolumeError):
        record_individual_volume(year, sessions, make_therapist(), VolumeSource.FORM)
    assert individual_volumes() == {}


def test_a_file_in_either_language_with_a_spreadsheet_s_habits_is_read(app: Flask) -> None:
    user = make_therapist()
    english = "\ufeffYear, Sessions\r\n2024,38000\r\n\r\n2025, 41250 \r\n"
    assert import_individual_volumes(english, user) == 2
    dutch = 'jaar;contacten\n2026;"43000"\n'  # a Dutch spreadsheet's semicolons and quotes
    assert import_individual_volumes(dutch, user) == 1
    assert individual_volumes() == {2024: 38_000, 2025: 41_250, 2026: 43_000}
    assert {detail["source"] for _, detail in changes()} == {"csv"}


@pytest.mark.parametrize(
    ("csv_text", "reason"),
    [
        ("2024,38000\n", "Line 1: the first line must be 'year,sessions' or 'jaar,contacten'."),
        ("year,sessions\n", "The file holds no years: only the first line."),
        (
            "year,sessions\n2024,38000\n2025,41.250\n",
            "Line 3: expected a year and a whole number of contacts.",
        ),
        ("year,sessions\n2024,38000,12\n", "Line 2: expected a year and a whole number"),
        ("year,sessions\n1999,38000\n", "Line 2: the year must be from 2000 to 2100."),
        ("year,sessions\n2024,-5\n", "Line 2: expected a year and a whole number"),
        ("year,sessions\n2024,1\n2025,2\n2024,3\n", "Line 4: 2024 is also on line 2."),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_line(
    app: Flask, csv_text: str, reason: str
) -> None:
    assert reason in refusal(csv_text)
    assert individual_volumes() == {}
    assert changes() == []


def test_every_bad_line_is_named_at_once_and_a_long_list_is_cut_short(app: Flask) -> None:
    bad = "year,sessions\n" + "".join(f"{2000 + n},x\n" for n in range(12))
    reason = refusal(bad)
    assert "Line 2:" in reason
    assert "Line 11:" in reason
    assert "Line 12:" not in reason
    assert reason.endswith("And 2 more lines with a problem.")

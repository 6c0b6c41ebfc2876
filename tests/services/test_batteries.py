"""Default batteries per kind of group ask the right instruments at the right sessions."""

import pytest
from flask import Flask

from rom.services.batteries import default_battery


def asked(kind: str, session: int) -> list[str]:
    battery = default_battery(kind)
    return [b.instrument_id for b in battery.instruments if b.asked_at(session)]


@pytest.mark.parametrize("kind", ["psychotherapy", "family_system"])
def test_process_oriented_groups_rate_climate_every_session_from_session_2(
    app: Flask, kind: str
) -> None:
    assert asked(kind, 1) == ["phq9", "gad7"]
    assert asked(kind, 2) == asked(kind, 3) == ["phq9", "gad7", "gcq_s", "gcs"]


@pytest.mark.parametrize("kind", ["skills", "psychoeducation", "art_psychomotor", "recovery"])
def test_structured_groups_rate_climate_every_second_session(app: Flask, kind: str) -> None:
    assert asked(kind, 1) == ["phq9", "gad7"]
    assert asked(kind, 2) == ["phq9", "gad7", "gcq_s", "gcs"]
    assert asked(kind, 3) == ["phq9", "gad7"]
    assert asked(kind, 4) == ["phq9", "gad7", "gcq_s", "gcs"]


def test_kinds_of_the_same_family_share_one_battery(app: Flask) -> None:
    assert default_battery("skills") is default_battery("recovery")
    assert default_battery("skills") is not default_battery("psychotherapy")

"""The management dashboard's figures (pure: summary in, figures out), as a Dutch or English
manager reads them."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from dashboards.management import figures
from dashboards.texts import TEXTS
from rom.extensions import db
from rom.reports.summary import Figures, Growth
from tests.factories import make_group
from tests.personas import cast


def labels(language: str) -> dict[str, str]:
    return {key: texts[language] for key, texts in TEXTS.items()} | {"language": language}


def unit(label: str, dropouts: int, days: float | None) -> Figures:
    return Figures(
        label=label,
        groups=2,
        members=17,
        sessions_held=24,
        volume=150,
        attendance=0.9,
        response_rate=0.88,
        outcomes={"recovered": 5, "improved": 1, "unchanged": 9, "deteriorated": 2},
        dropouts=dropouts,
        flags_raised=6,
        median_days_to_acknowledge=days,
    )


@pytest.mark.parametrize(("language", "growth"), [("nl", "+107,5%"), ("en", "+107.5%")])
def test_the_growth_against_the_baseline_is_written_in_the_managers_language(
    language: str, growth: str
) -> None:
    volume = Growth(
        baseline_year=2025,
        baseline_volume=278,
        period_volume=531,
        annualised_volume=576.8,
        change=1.075,
    )
    figure = figures.volume(volume, labels(language))
    assert [a.text for a in figure.layout.annotations] == [growth]
    assert figure.layout.separators == {"nl": ",.", "en": ".,"}[language]


def test_the_days_to_action_have_their_own_axis_title_beside_the_dropouts() -> None:
    rows = [unit("Psycho-educatie", 3, 1.5), unit("Vaardigheidstraining", 1, None)]
    figure = figures.dropout(rows, labels("nl"))
    assert figure.layout.yaxis.title.text == "Uitgevallen"
    assert figure.layout.yaxis2.title.text == TEXTS["days_to_ack"]["nl"]
    assert figure.layout.yaxis2.visible is True


def test_without_any_flag_acted_on_there_is_no_empty_axis_of_days() -> None:
    figure = figures.dropout([unit("Psycho-educatie", 3, None)], labels("nl"))
    assert figure.layout.yaxis2.visible is False


def test_the_dashboard_names_kinds_of_group_in_the_managers_language(app: Flask) -> None:
    from flask_login import login_user

    from dashboards.management.callbacks import show_organisation

    people = cast()
    make_group("GS", therapists=(people.anna,), kind="skills")
    people.mila.language = "en"
    db.session.commit()
    with app.app_context(), app.test_request_context():
        login_user(people.mila)
        table = show_organisation("2026-01-01", "2026-12-31", 2025, "kind")[0]
    shown = json.dumps(table.to_plotly_json(), default=str)
    assert "Skills training" in shown
    assert "Vaardigheidstraining" not in shown

"""The management dashboard's figures (pure: summary in, figures out), as a Dutch or English
manager reads them."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask_babel import force_locale

from dashboards.management import figures
from dashboards.texts import labels as labels_here
from rom.extensions import db
from rom.reports.summary import Figures, Growth
from tests.factories import make_group
from tests.personas import cast


def labels(language: str) -> dict[str, str]:
    """The figures' texts as a reader in `language` gets them."""
    with force_locale(language):
        return labels_here()


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
    app: Flask, language: str, growth: str
) -> None:
    volume = Growth(
        baseline_year=2025,
        baseline_volume=278,
        period_volume=531,
        annualised_volume=576.8,
        change=1.075,
    )
    figure = figures.volume(volume, labels(language))
    assert figure.layout.yaxis.ticktext[1].endswith(f"<b>{growth}</b>")  # the period's name
    assert figure.layout.separators == {"nl": ",.", "en": ".,"}[language]


def test_the_days_to_action_have_their_own_axis_title_beside_the_dropouts(app: Flask) -> None:
    rows = [unit("Psycho-educatie", 3, 1.5), unit("Vaardigheidstraining", 1, None)]
    figure = figures.dropout(rows, labels("nl"))
    assert figure.layout.yaxis.title.text == "Uitgevallen"
    assert figure.layout.yaxis2.title.text == "Dagen tot actie (mediaan)"
    assert figure.layout.yaxis2.visible is True
    assert figures.dropout(rows, labels("en")).layout.yaxis2.title.text == (
        "Days to action (median)"
    )


@pytest.mark.parametrize("days", [0.000254, 0.4, 1.5, 13.0])
def test_the_days_to_action_axis_counts_whole_days(app: Flask, days: float) -> None:
    """Flags acted on within minutes gave ticks of 0, 0,000254, 0,000509: the axis now reads
    0, 1, 2 ... and reaches past the longest wait."""
    figure = figures.dropout([unit("Psycho-educatie", 3, days)], labels("nl"))
    axis = figure.layout.yaxis2
    assert axis.tick0 == 0
    assert axis.dtick >= 1
    assert float(axis.dtick).is_integer()
    assert axis.range[0] == 0
    assert axis.range[1] > days


def test_without_any_flag_acted_on_there_is_no_empty_axis_of_days(app: Flask) -> None:
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
        table = show_organisation("2026-01-01", "2026-12-31", "?baseline=2025&by=kind")[0]
    shown = json.dumps(table.to_plotly_json(), default=str)
    assert "Skills training" in shown
    assert "Vaardigheidstraining" not in shown

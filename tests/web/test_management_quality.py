"""The management dashboard's quality year on year, adjusted for the intakes (issue #29): the
filters by kind, format and therapist narrow the figures, small cells show none, a therapist is
refused, a malformed filter is a bad request with nothing audited, and an English manager reads
the section in English only. The callback is called over HTTP as dash-renderer calls it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from dashboards.management import ids
from rom.extensions import db
from rom.frames import group_tables, growth_inputs
from rom.instruments import phq9_total
from rom.models import AuditEvent, Group, PreparedQuality, StaffUser
from rom.reports.growth_path import quality_years
from rom.reports.quality import quality, quality_of
from rom.services.management_figures import prepare_management_figures, prepared_quality
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort
from tests.one_language import problems, typed_names
from tests.personas import cast
from tests.staff_session import log_in
from tests.web.dash_callbacks import csrf_header

TODAY = datetime(2026, 12, 1, 11, 0)
KINDS = ("psychoeducation", "skills")
YEARS = ("2025", "2026 (tot 1 december)")


def _layout() -> tuple[tuple[str, str, int, date], ...]:
    """Closed groups of twelve weekly sessions, three of each kind starting in each year."""
    starts = [date(2025, 1, 13), date(2025, 4, 7), date(2025, 8, 4)]
    starts += [date(2026, 1, 12), date(2026, 4, 6), date(2026, 8, 3)]
    return tuple(
        (kind, "closed", 12, start + timedelta(days=7 * number))
        for start in starts
        for number, kind in enumerate(KINDS)
    )


@pytest.fixture(autouse=True)
def on_the_day() -> Iterator[None]:
    """Every test runs on TODAY: logged in, asked and audited then."""
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def organisation(app: Flask, tmp_path: Path) -> None:
    """Groups from early 2025 to late 2026; Anna leads every other group, Carla the rest."""
    import_cohort(
        CohortSpec(seed=29, until=date(2026, 11, 30), layout=_layout()), tmp_path / "bundle"
    )
    team = cast()
    groups = db.session.scalars(sa.select(Group).order_by(Group.code)).all()
    for number, group in enumerate(groups):
        group.therapists = [team.anna if number % 2 == 0 else team.carla]
    db.session.commit()


OUTPUTS = (
    (ids.QUALITY_FILTERS, "children"),
    (ids.QUALITY_WORDS, "children"),
    (f"{ids.QUALITY}-caption", "children"),
    (ids.QUALITY, "figure"),
    (f"{ids.QUALITY}-table", "children"),
    (ids.QUALITY_TABLE, "children"),
)


def _body(search: object) -> dict[str, object]:
    """The body dash-renderer sends for the section's callback (its one input: the address)."""
    return {
        "output": ".." + "...".join(f"{part}.{prop}" for part, prop in OUTPUTS) + "..",
        "outputs": [{"id": part, "property": prop} for part, prop in OUTPUTS],
        "inputs": [{"id": ids.URL, "property": "search", "value": search}],
        "changedPropIds": [f"{ids.URL}.search"],
        "state": [],
    }


def _post(client: FlaskClient, search: object, headers: dict[str, str]) -> TestResponse:
    return client.post(
        "/dash/management/_dash-update-component",
        data=json.dumps(_body(search)),
        content_type="application/json",
        headers=headers,
    )


def _shown(client: FlaskClient, app: Flask, search: str) -> dict[str, object]:
    """The section's outputs for the address, as a logged-in manager gets them (in an
    application context of its own, as in production, so the reader's language holds)."""
    with app.app_context():
        headers = csrf_header(client, "/dash/management/")
        response = _post(client, search, headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["response"]


def _text(node: object) -> list[str]:
    """The words of a component tree (children, labels), as dash-renderer would show them."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, int | float):
        return [str(node)]
    if isinstance(node, list):
        return [text for item in node for text in _text(item)]
    if not isinstance(node, dict):
        return []
    props = node.get("props", node)
    shown = [props.get(key) for key in ("children", "aria-label")]
    return [text for value in shown if value is not None for text in _text(value)]


def _rows(table: object) -> dict[str, list[str]]:
    """A data table's body: the row's name -> its cells."""
    found: dict[str, list[str]] = {}

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("type") == "Tr" and node["props"]["children"][0]["type"] == "Th":
                cells = [" ".join(_text(cell)) for cell in node["props"]["children"]]
                if node["props"]["children"][0]["props"].get("scope") == "row":
                    found[cells[0]] = cells[1:]
            walk(node.get("props", {}).get("children"))

    walk(table)
    return found


def _measured(shown: dict[str, object]) -> dict[str, str]:
    """Per year, the 'measured' cell of the quality table."""
    rows = _rows(shown[ids.QUALITY_TABLE]["children"])
    return {year: cells[0] for year, cells in rows.items()}


def _audited() -> list[AuditEvent]:
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "management_dashboard")
    ).all()


def test_the_filters_narrow_the_figures_and_each_view_is_audited_once(
    client: FlaskClient, app: Flask, organisation
) -> None:
    log_in(client, "mila@kring.test")
    total = _measured(_shown(client, app, "?baseline=2025"))
    assert list(total) == list(YEARS)  # every year from the baseline, the running one to today
    assert all(cell.isdigit() and int(cell) >= 10 for cell in total.values()), total
    per_kind = [_measured(_shown(client, app, f"?baseline=2025&kind={k}")) for k in KINDS]
    per_therapist = [
        _measured(_shown(client, app, f"?{urlencode({'therapist': name})}"))
        for name in ("Anna", "Carla")
    ]
    for year in YEARS:
        for parts in (per_kind, per_therapist):
            counts = [int(part[year]) for part in parts]
            assert min(counts) < int(total[year])
            assert sum(counts) == int(total[year]), (year, counts, total)
    assert _measured(_shown(client, app, "?format=closed")) == total
    events = _audited()
    assert len(events) == 1 + len(KINDS) + 2 + 1  # one per callback, as the period's view
    assert {e.detail.get("section") for e in events} == {"quality"}


def test_a_filter_without_enough_treatments_shows_no_figures_and_no_verdict(
    client: FlaskClient, app: Flask, organisation
) -> None:
    log_in(client, "mila@kring.test")
    shown = _shown(client, app, "?format=slow_open")  # every group here is closed
    rows = _rows(shown[ids.QUALITY_TABLE]["children"])
    assert list(rows) == list(YEARS)
    for cells in rows.values():
        assert cells[0] == "< 10"
        assert set(cells[1:-1]) == {"–"}
        assert cells[-1] == "geen oordeel"
    figure = shown[ids.QUALITY]["figure"]
    points = [y for trace in figure["data"] for y in trace.get("y", []) if y is not None]
    assert points == []  # no point drawn for a suppressed year
    words = " ".join(_text(shown[ids.QUALITY_WORDS]["children"]))
    assert "niet beoordeeld" in words


def test_the_chart_draws_each_year_with_its_interval_around_the_expectation(
    client: FlaskClient, app: Flask, organisation
) -> None:
    log_in(client, "mila@kring.test")
    shown = _shown(client, app, "?baseline=2025")
    traces = {t.get("name"): t for t in shown[ids.QUALITY]["figure"]["data"] if t.get("name")}
    measured, expected = traces["Gemeten, met 95%-interval"], traces["Verwacht bij deze instroom"]
    assert measured["x"] == expected["x"] == list(YEARS)
    rows = _rows(shown[ids.QUALITY_TABLE]["children"])
    for year, observed, up, down, level in zip(
        YEARS,
        measured["y"],
        measured["error_y"]["array"],
        measured["error_y"]["arrayminus"],
        expected["y"],
        strict=True,
    ):
        # the bar is the 95% interval of the difference (the table's) laid on the expectation
        low, high = (int(v) for v in re.findall(r"[+-]\d+", rows[year][2].split("[")[1]))
        assert abs(observed - down - (level + low)) <= 1.5
        assert abs(observed + up - (level + high)) <= 1.5
        shares = [int(v) for v in re.findall(r"\d+", rows[year][1])]  # 32% (23%)
        assert abs(shares[0] - observed) <= 0.5 + 1e-9
        assert abs(shares[1] - level) <= 0.5 + 1e-9
    words = _text(shown[ids.QUALITY_WORDS]["children"])
    assert words[0].startswith("2025: ")
    assert "verwacht bij deze instroom" in words[0]
    assert words[1].startswith("2026 (tot 1 december): ")
    assert words[2].startswith("Zonder correctie voor de instroom")


def test_a_therapist_is_refused_the_section(client: FlaskClient, app: Flask, organisation) -> None:
    log_in(client, "anna@kring.test")
    headers = csrf_header(client, "/dash/group/")  # her own dashboard hands out the token
    response = _post(client, "?baseline=2025", headers)
    assert response.status_code == 403
    assert "Gemeten" not in response.get_data(as_text=True)
    assert _audited() == []


@pytest.mark.parametrize(
    "search",
    [
        "?kind=onbekend",
        "?format=open",
        "?therapist=Niemand",
        "?kind=psychoeducation&baseline=twee",
        "?by=lid",
        {"kind": "skills"},
        "?therapist=" + "x" * 700,
    ],
)
def test_a_malformed_filter_is_a_bad_request_and_nothing_is_audited(
    client: FlaskClient, app: Flask, search: object
) -> None:
    cast()
    db.session.commit()
    log_in(client, "mila@kring.test")
    headers = csrf_header(client, "/dash/management/")
    assert _post(client, search, headers).status_code == 400
    assert _audited() == []


def _figure_text(figure: dict) -> list[str]:
    """What the chart itself says: legend, axis titles and ticks, annotations, hover texts."""
    layout = figure["layout"]
    texts = [trace.get("name") or "" for trace in figure["data"]]
    texts += [trace.get("hovertemplate") or "" for trace in figure["data"]]
    texts += [a.get("text", "") for a in layout.get("annotations", [])]
    for axis in ("xaxis", "yaxis"):
        texts += [str(layout.get(axis, {}).get("title", {}).get("text", ""))]
        texts += [str(t) for t in layout.get(axis, {}).get("ticktext", [])]
    return texts


@pytest.mark.parametrize("search", ["?baseline=2025", "?format=slow_open"])
def test_an_english_manager_reads_the_section_in_english_only(
    client: FlaskClient, app: Flask, organisation, search: str
) -> None:
    manager = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "mila@kring.test"))
    manager.language = "en"
    db.session.commit()
    log_in(client, "mila@kring.test")
    shown = _shown(client, app, search)
    parts = [
        *_text(shown[ids.QUALITY_FILTERS]["children"]),
        *_text(shown[ids.QUALITY_WORDS]["children"]),
        *_text(shown[f"{ids.QUALITY}-caption"]["children"]),
        *_text(shown[f"{ids.QUALITY}-table"]["children"]),
        *_text(shown[ids.QUALITY_TABLE]["children"]),
        *_figure_text(shown[ids.QUALITY]["figure"]),
    ]
    text = " ".join(parts)
    with app.app_context():
        names = typed_names()
    assert problems(text, "en", names) == set()
    assert "Recovered (expected)" in text
    assert "Kind of group" in text
    assert "2026 (to 1 December)" in text


def _prepared_at(shown: dict[str, object]) -> list[str]:
    """The note saying when the section's figures were prepared, if shown."""
    words = " ".join(_text(shown[ids.QUALITY_WORDS]["children"]))
    return re.findall(r"Cijfers van \d\d:\d\d", words)


def test_the_prepared_section_gives_what_computing_it_gives_for_any_choice(
    app: Flask, organisation
) -> None:
    prepare_management_figures()
    today = TODAY.date()
    parts = prepared_quality(2025)
    assert parts is not None
    assert parts.years == quality_years(2025, today)  # the running year up to that day
    assert prepared_quality(2024) is None  # only the organisation's baseline is prepared
    stored = db.session.scalars(sa.select(PreparedQuality)).one()
    kept = set(stored.episodes) | set(stored.responses)
    assert not kept & {"member_id", "first", "last", "ended_on"}  # sums, no member's own
    assert len(stored.episodes["group_id"]) < sum(stored.episodes["episodes"])
    inputs, course = growth_inputs(2025)
    groups, led = group_tables()
    years = quality_years(2025, today)
    choices = [None, set(groups.loc[groups["kind"] == KINDS[0], "group_id"])]
    choices += [set(led.loc[led["therapist"] == "Anna", "group_id"])]
    for chosen in choices:
        computed = quality(inputs, course, phq9_total(), years, years[0], chosen)
        assert computed[0].measured >= 5
        prepared = quality_of(parts.sums, parts.answered, parts.years, years[0], chosen)
        assert prepared == computed


def test_the_section_is_shown_as_prepared_while_fresh_and_computed_when_stale(
    client: FlaskClient, app: Flask, organisation
) -> None:
    log_in(client, "mila@kring.test")
    computed = _measured(_shown(client, app, "?baseline=2025"))
    prepare_management_figures()
    stored = db.session.scalars(sa.select(PreparedQuality)).one()
    stored.episodes = {column: [] for column in stored.episodes}  # marked: no episodes
    db.session.commit()
    shown = _shown(client, app, "?baseline=2025")
    assert _measured(shown) == dict.fromkeys(YEARS, "< 10")  # too few to show
    assert _prepared_at(shown) == ["Cijfers van 12:00"]
    other_baseline = _shown(client, app, "?baseline=2024")  # not prepared: computed
    assert _measured(other_baseline)["2025"].isdigit()
    assert _prepared_at(other_baseline) == []
    stored.prepared_at = TODAY - timedelta(hours=3)
    db.session.commit()
    stale = _shown(client, app, "?baseline=2025")
    assert _measured(stale) == computed
    assert _prepared_at(stale) == []
    assert len(_audited()) == 4  # each view audited, prepared or not


def test_after_midnight_the_prepared_years_run_to_the_day_they_were_prepared(
    client: FlaskClient, app: Flask, organisation
) -> None:
    prepare_management_figures()
    stored = db.session.scalars(sa.select(PreparedQuality)).one()
    stored.prepared_at = datetime(2026, 12, 1, 22, 50)  # 23:50 in Amsterdam
    db.session.commit()
    with time_machine.travel(datetime(2026, 12, 1, 23, 30), tick=False):  # 00:30 there
        log_in(client, "mila@kring.test")
        shown = _shown(client, app, "?baseline=2025")
    assert list(_measured(shown)) == list(YEARS)  # "2026 (tot 1 december)", as prepared
    assert _prepared_at(shown) == ["Cijfers van 23:50"]

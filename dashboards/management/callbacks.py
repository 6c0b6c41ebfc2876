"""The management callback: aggregates and pseudonymous figures only (managers and admins)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from dash import Dash, Input, Output, html
from dash.development.base_component import Component
from flask import current_app
from flask_babel import gettext as _

from dashboards import paths
from dashboards.inputs import one_of, optional_text, year
from dashboards.management import figures, ids
from dashboards.page import caption, chart_outputs, choices, data_table
from dashboards.texts import labels as labels_in_language
from dashboards.texts import language
from dashboards.theme import empty_figure
from rom.audit import audited_read
from rom.clock import organisation_today
from rom.frames import report_inputs, waiting_inputs
from rom.instruments import phq9_total
from rom.numbers import decimal
from rom.reports.summary import Figures, Period, organisation_summary
from rom.reports.waiting import WaitingFigures
from rom.staff.filters import kind_label

DIMENSIONS = ("kind", "therapist")
FIRST_BASELINE = 2023


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.TABLE, "children"),
        Output(ids.BASELINE, "children"),
        Output(ids.DIMENSION, "children"),
        *chart_outputs(ids.VOLUME),
        *chart_outputs(ids.RATES),
        *chart_outputs(ids.OUTCOMES),
        *chart_outputs(ids.DROPOUT),
        Input(ids.START, "value"),
        Input(ids.END, "value"),
        Input(ids.URL, "search"),
    )(show_organisation)


def wanted(search: object) -> tuple[int, str]:
    """The baseline year and breakdown the address asks for (400 when malformed)."""
    query = parse_qs((optional_text(search, 200) or "").lstrip("?"))
    baseline = year(query.get("baseline", [None])[0], current_app.config["BASELINE_YEAR"])
    by = one_of(query.get("by", ["kind"])[0], DIMENSIONS)
    return baseline, by


def show_organisation(start: str | None, end: str | None, search: str | None) -> tuple:
    labels = labels_in_language()
    start, end = optional_text(start, 40), optional_text(end, 40)
    baseline_year, by = wanted(search)
    links = _choices(baseline_year, by)
    try:
        period = Period(date.fromisoformat(start[:10]), date.fromisoformat(end[:10]))
    except (TypeError, ValueError):
        period = None
    if period is None or period.end < period.start:
        message = html.P(_("Kies een periode: de begindatum op of vóór de einddatum."))
        empty = ([], empty_figure(labels["no_data"]), [])
        return (message, *links, *empty, *empty, *empty, *empty)
    scale = phq9_total()
    inputs = report_inputs()
    summary = organisation_summary(inputs, period, scale, baseline_year)
    waiting = waiting_inputs(inputs, period, organisation_today())
    audited_read("view", "management_dashboard", None, start=start, end=end)
    rows = summary.by_kind if by == "kind" else summary.by_therapist
    rows = [_labelled(row) for row in rows]
    total = replace(summary.total, label=_("Totaal"))
    note = [_co_therapists(rows, total)] if by == "therapist" else []
    return (
        html.Div([_table([*rows, total], by), *note, _waiting_table(waiting)]),
        *links,
        *_volume(summary.growth, labels),
        *_rates(rows, labels),
        *_outcomes(rows, labels),
        *_dropout(rows, labels),
    )


def _choices(baseline: int, by: str) -> tuple[html.Nav, html.Nav]:
    def address(new_baseline: int, new_by: str) -> str:
        return f"{paths.MANAGEMENT}?{urlencode({'baseline': new_baseline, 'by': new_by})}"

    years = range(FIRST_BASELINE, max(organisation_today().year, baseline + 1))
    names = {"kind": _("Soort groep"), "therapist": _("Behandelaar")}
    return (
        choices(_("Basisjaar"), [(str(y), address(y, by), y == baseline) for y in years]),
        choices(_("Indelen naar"), [(names[d], address(baseline, d), d == by) for d in DIMENSIONS]),
    )


def _labelled(row: Figures) -> Figures:
    """A kind of group by its name in the reader's language (therapists keep theirs)."""
    return replace(row, label=kind_label(row.label))


def _co_therapists(rows: list[Figures], total: Figures) -> html.P:
    """Why the therapists' rows add up to more than the total."""
    return html.P(
        _(
            "Een groep heeft meestal twee behandelaars en telt bij elk van hen mee. Opgeteld "
            "komen de rijen per behandelaar daarom hoger uit dan het totaal: zo tellen %(sum)s "
            "uitvallers in de rijen, %(total)s in het totaal.",
            sum=sum(row.dropouts for row in rows),
            total=total.dropouts,
        ),
        className="note",
        id="co-therapists",
    )


def _table(rows: list[Figures], by: str) -> html.Div:
    columns = [
        _("Soort groep") if by == "kind" else _("Behandelaar"),
        _("Groepen"),
        _("Leden"),
        _("Sessies"),
        _("Volume (bijgewoond)"),
        _("Opkomst"),
        _("Vragenlijst ingevuld"),
        _("Uitgevallen"),
        _("Signalen"),
        _("Dagen tot actie (mediaan)"),
        _("Opgepakt op tijd"),
        _("Briefing geopend"),
    ]
    body = [
        [
            row.label,
            row.groups,
            row.members,
            row.sessions_held,
            row.volume,
            _percent(row.attendance),
            _percent(row.response_rate),
            row.dropouts,
            row.flags_raised,
            "–"
            if row.median_days_to_acknowledge is None
            else decimal(row.median_days_to_acknowledge, 1, language()),
            _percent(row.acted_by_next_session),
            _percent(row.briefings_opened),
        ]
        for row in rows
    ]
    return data_table(_("Kerncijfers van de periode"), columns, body)


def _waiting_table(waiting: WaitingFigures) -> html.Div:
    days = waiting.median_days_to_first_session
    rows = [
        (_("Wachtend aan het einde van de periode"), str(waiting.waiting), ""),
        *(
            (_("elke soort") if kind == "any" else kind_label(kind), str(n), "part")
            for kind, n in waiting.waiting_by_kind.items()
        ),
        (_("Geplaatst (eerste sessie in de periode)"), str(waiting.placed), ""),
        (
            _("Dagen van verwijzing tot eerste sessie (mediaan)"),
            "–" if days is None else f"{days:.0f}",
            "",
        ),
        (_("Bezetting van de groepen"), _percent(waiting.fill_rate), ""),
        (_("Groepen die niet konden starten"), str(waiting.groups_not_started), ""),
    ]
    return html.Div(
        className="scroll narrow",
        children=html.Table(
            className="plain",
            children=[
                html.Caption(_("Wachtlijst en bezetting")),
                html.Tbody(
                    [
                        html.Tr([html.Th(name, scope="row", className=part), html.Td(value)])
                        for name, value, part in rows
                    ]
                ),
            ],
        ),
    )


def _volume(growth, labels: dict[str, str]) -> tuple[list[Component], object, html.Div]:
    title = _("Volume: bijgewoonde cliëntsessies, per jaar, tegen het basisjaar")
    bars = figures.volume_bars(growth, labels)
    summary = (
        _(
            "Periode omgerekend naar een jaar: %(volume)s cliëntsessies, %(change)s tegen "
            "%(year)s.",
            volume=f"{growth.annualised_volume:.0f}",
            change=decimal(growth.change * 100, 1, language(), signed=True) + "%",
            year=growth.baseline_year,
        )
        if growth.change is not None
        else ""
    )
    return (
        caption(title, summary),
        figures.volume(growth, labels),
        data_table(
            title, ["", labels["volume_axis"]], [[name, f"{v:.0f}"] for name, v, _c in bars]
        ),
    )


def _rates(rows: list[Figures], labels: dict[str, str]) -> tuple:
    title = _("Opkomst, respons en gebruik van de terugkoppeling")
    columns = ["", labels["attendance"], labels["response"], labels["acted"], labels["briefed"]]
    body = [
        [
            row.label,
            _percent(row.attendance),
            _percent(row.response_rate),
            _percent(row.acted_by_next_session),
            _percent(row.briefings_opened),
        ]
        for row in rows
    ]
    return caption(title), figures.rates(rows, labels), data_table(title, columns, body)


def _outcomes(rows: list[Figures], labels: dict[str, str]) -> tuple:
    title = _("Uitkomsten (PHQ-9, Jacobson-Truax)")
    columns = ["", *[labels[name] for name in figures.OUTCOMES]]
    body = [[row.label, *[str(row.outcomes[name]) for name in figures.OUTCOMES]] for row in rows]
    return caption(title), figures.outcomes(rows, labels), data_table(title, columns, body)


def _dropout(rows: list[Figures], labels: dict[str, str]) -> tuple:
    title = _("Uitval en tijd tot actie op signalen")
    columns = ["", labels["dropouts"], labels["days_to_ack"]]
    body = [
        [
            row.label,
            str(row.dropouts),
            "–"
            if row.median_days_to_acknowledge is None
            else decimal(row.median_days_to_acknowledge, 1, language()),
        ]
        for row in rows
    ]
    return caption(title), figures.dropout(rows, labels), data_table(title, columns, body)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"

"""The management callbacks: aggregates and pseudonymous figures only (managers and admins). One
shows the period's figures; the other quality year on year, adjusted for the intakes, for the
groups chosen by kind, format and therapist. Each reads the address and is audited once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from urllib.parse import parse_qs, urlencode

import pandas as pd
from dash import Dash, Input, Output, html
from dash.development.base_component import Component
from flask import abort, current_app
from flask_babel import gettext as _

from dashboards import paths
from dashboards.inputs import one_of, optional_text, year
from dashboards.management import figures, ids
from dashboards.page import caption, chart_outputs, choices, data_table
from dashboards.texts import labels as labels_in_language
from dashboards.texts import language
from dashboards.theme import empty_figure
from rom.analytics.columns import FORMAT, GROUP
from rom.audit import audited_read
from rom.clock import organisation_today, to_local
from rom.frames import group_tables, growth_inputs, organisation_figures
from rom.instruments import phq9_total
from rom.labels import FORMAT_LABELS, KIND_LABELS, label
from rom.numbers import decimal, decimal_or_dash
from rom.reports.growth_path import quality_years
from rom.reports.quality import (
    MIN_EPISODES,
    TOO_FEW,
    Comparison,
    Quality,
    quality,
    quality_of,
)
from rom.reports.quality_words import (
    VERDICT_SHORT,
    percent,
    quality_sentence,
    unadjusted_sentence,
    year_label,
)
from rom.reports.summary import (
    Figures,
    OrganisationSummary,
    Period,
)
from rom.reports.waiting import WaitingFigures
from rom.services.management_figures import prepared_figures, prepared_quality
from rom.staff.filters import kind_label

DIMENSIONS = ("kind", "therapist")
FIRST_BASELINE = 2023
KINDS = tuple(KIND_LABELS)
FORMATS = tuple(FORMAT_LABELS)
LONGEST_QUERY = 600  # the baseline, breakdown and three filters, a therapist's name encoded


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
    app.callback(
        Output(ids.QUALITY_FILTERS, "children"),
        Output(ids.QUALITY_WORDS, "children"),
        *chart_outputs(ids.QUALITY),
        Output(ids.QUALITY_TABLE, "children"),
        Input(ids.URL, "search"),
    )(show_quality)
    app.clientside_callback(  # a link scrolls to the top; a filter chosen returns to its section
        f"""function (search, hash) {{
            if (hash === "#{ids.QUALITY_SECTION}") {{
                const heading = document.getElementById("{ids.QUALITY_HEADING}");
                if (heading) {{ heading.scrollIntoView(); heading.focus({{preventScroll: true}}); }}
            }}
            return window.dash_clientside.no_update;
        }}""",
        Output(ids.QUALITY_HEADING, "tabIndex"),
        Input(ids.URL, "search"),
        Input(ids.URL, "hash"),
    )


def query_of(search: object) -> dict[str, str]:
    """The address's query, the first value of each name (400 when it is not text)."""
    query = parse_qs((optional_text(search, LONGEST_QUERY) or "").lstrip("?"))
    return {name: values[0] for name, values in query.items()}


def wanted(search: object) -> tuple[int, str]:
    """The baseline year and breakdown the address asks for (400 when malformed)."""
    query = query_of(search)
    baseline = year(query.get("baseline"), current_app.config["BASELINE_YEAR"])
    if not FIRST_BASELINE <= baseline <= organisation_today().year:
        abort(400)  # each year since is computed: the range the choices offer, no wider
    by = one_of(query.get("by", "kind"), DIMENSIONS)
    return baseline, by


def address(query: dict[str, str], **changed: str | int | None) -> str:
    """This dashboard with the query changed (a name given None is left out): every choice
    keeps the others, so the address can be shared as it is."""
    merged = {**query, **changed}
    return f"{paths.MANAGEMENT}?{urlencode({k: v for k, v in merged.items() if v is not None})}"


def show_organisation(start: str | None, end: str | None, search: str | None) -> tuple:
    labels = labels_in_language()
    start, end = optional_text(start, 40), optional_text(end, 40)
    baseline_year, by = wanted(search)
    links = _choices(query_of(search), baseline_year, by)
    try:
        period = Period(date.fromisoformat(start[:10]), date.fromisoformat(end[:10]))
    except (TypeError, ValueError):
        period = None
    if period is None or period.end < period.start:
        message = html.P(_("Kies een periode: de begindatum op of vóór de einddatum."))
        empty = ([], empty_figure(labels["no_data"]), [])
        return (message, *links, *empty, *empty, *empty, *empty)
    summary, waiting, prepared = _figures_of(period, baseline_year)
    audited_read("view", "management_dashboard", None, start=start, end=end)
    rows = summary.by_kind if by == "kind" else summary.by_therapist
    rows = [_labelled(row) for row in rows]
    total = replace(summary.total, label=_("Totaal"))
    note = [_co_therapists(rows, total)] if by == "therapist" else []
    note += [_prepared_at(prepared)] if prepared is not None else []
    return (
        html.Div([_table([*rows, total], by), *note, _waiting_table(waiting)]),
        *links,
        *_volume(summary.growth, labels),
        *_rates(rows, labels),
        *_outcomes(rows, labels),
        *_dropout(rows, labels),
    )


def _figures_of(
    period: Period, baseline_year: int
) -> tuple[OrganisationSummary, WaitingFigures, datetime | None]:
    """The period's figures as the scheduler prepared them this hour, else computed now (and
    then None for when they were prepared)."""
    prepared = prepared_figures(period, baseline_year)
    if prepared is not None:
        return prepared.summary, prepared.waiting, prepared.at
    summary, waiting = organisation_figures(period, baseline_year, organisation_today())
    return summary, waiting, None


def _prepared_at(moment: datetime, name: str = "prepared-at") -> html.P:
    """When figures shown from the hourly preparation were computed."""
    local = to_local(moment, current_app.config["TIMEZONE"])
    return html.P(
        _("Cijfers van %(time)s; elk uur bijgewerkt.", time=f"{local:%H:%M}"),
        className="note",
        id=name,
    )


def _choices(query: dict[str, str], baseline: int, by: str) -> tuple[html.Nav, html.Nav]:
    query = {**query, "baseline": str(baseline), "by": by}
    years = range(FIRST_BASELINE, max(organisation_today().year, baseline + 1))
    names = {"kind": _("Soort groep"), "therapist": _("Behandelaar")}
    return (
        choices(
            _("Basisjaar"), [(str(y), address(query, baseline=y), y == baseline) for y in years]
        ),
        choices(
            _("Indelen naar"),
            [(names[d], address(query, by=d), d == by) for d in DIMENSIONS],
        ),
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


def show_quality(search: str | None) -> tuple:
    """Quality year on year from the baseline year, adjusted for each year's intakes, for the
    groups the address chooses: a kind, a format, a therapist's groups (400 when malformed,
    and then nothing is audited)."""
    query = query_of(search)
    baseline_year, _by = wanted(search)
    kind = _optional(query.get("kind"), KINDS)
    group_format = _optional(query.get("format"), FORMATS)
    therapist = optional_text(query.get("therapist"), 200)
    groups, led = group_tables()
    therapists = sorted(set(led["therapist"]), key=str.casefold)
    if therapist is not None and therapist not in therapists:
        abort(400)
    today = organisation_today()
    chosen = _chosen_groups(groups, led, kind, group_format, therapist)
    years, prepared = _quality_of(baseline_year, today, chosen)
    audited_read(
        "view",
        "management_dashboard",
        None,
        section="quality",
        baseline=baseline_year,
        kind=kind,
        format=group_format,
        therapist=therapist,
    )
    query = {**query, "baseline": str(baseline_year)}
    filters = _quality_filters(query, groups, therapists, kind, group_format, therapist)
    labels = _quality_labels()
    if not years:
        message = html.P(_("Het basisjaar is nog niet begonnen: kies een eerder basisjaar."))
        return filters, message, [], empty_figure(labels["no_data"]), [], []
    named = [(year_label(q.period), q) for q in years]
    words = _quality_words(named, str(baseline_year))
    if prepared is not None:
        words.children.append(_prepared_at(prepared, "quality-prepared-at"))
    return (filters, words, *_quality_chart(named, labels), _quality_table(named))


def _quality_of(
    baseline_year: int, today: date, chosen: set[str] | None
) -> tuple[list[Quality], datetime | None]:
    """The years' quality of the chosen groups from the scheduler's preparation of this hour
    (after midnight the running year up to the day it was prepared, as its label says), else
    computed now (and then None for when it was prepared)."""
    prepared = prepared_quality(baseline_year)
    if prepared is not None and prepared.years:
        years = prepared.years
        quality_per_year = quality_of(prepared.sums, prepared.answered, years, years[0], chosen)
        return quality_per_year, prepared.at
    years = quality_years(baseline_year, today)
    if not years:
        return [], None
    inputs, course = growth_inputs(baseline_year)
    return quality(inputs, course, phq9_total(), years, years[0], chosen), None


def _optional(value: str | None, allowed: tuple[str, ...]) -> str | None:
    return None if value is None else one_of(value, allowed)


def _chosen_groups(
    groups: pd.DataFrame,
    led: pd.DataFrame,
    kind: str | None,
    group_format: str | None,
    therapist: str | None,
) -> set[str] | None:
    """The groups the filters leave (all of them, None, when nothing is chosen)."""
    if kind is None and group_format is None and therapist is None:
        return None
    keep = groups[GROUP].notna()
    if kind is not None:
        keep &= groups["kind"] == kind
    if group_format is not None:
        keep &= groups[FORMAT] == group_format
    if therapist is not None:
        theirs = led.loc[led["therapist"] == therapist, GROUP]
        keep &= groups[GROUP].isin(set(theirs))
    return set(groups.loc[keep, GROUP])


def _quality_filters(
    query: dict[str, str],
    groups: pd.DataFrame,
    therapists: list[str],
    kind: str | None,
    group_format: str | None,
    therapist: str | None,
) -> list[Component]:
    """Links to choose the groups by kind, format and therapist; each keeps the other choices,
    and brings the reader back to this section."""

    def to(**changed: str | None) -> str:
        return address(query, **changed) + f"#{ids.QUALITY_SECTION}"

    kinds = sorted(set(groups["kind"]), key=lambda k: kind_label(k).casefold())
    return [
        choices(
            _("Soort groep"),
            [(_("alle soorten"), to(kind=None), kind is None)]
            + [(kind_label(k), to(kind=k), k == kind) for k in kinds],
        ),
        choices(
            _("Vorm"),
            [(_("alle vormen"), to(format=None), group_format is None)]
            + [(label(FORMAT_LABELS, f), to(format=f), f == group_format) for f in FORMATS],
        ),
        choices(
            _("Behandelaar"),
            [(_("alle behandelaars"), to(therapist=None), therapist is None)]
            + [(name, to(therapist=name), name == therapist) for name in therapists],
        ),
        html.P(
            _(
                "Kring kent geen behandelteams: kies een behandelaar om de groepen te zien die "
                "hij of zij leidt, als diens team."
            ),
            className="note",
        ),
    ]


def _quality_labels() -> dict[str, str]:
    return {
        **labels_in_language(),
        "quality_observed": _("Gemeten, met %(level)s-interval", level="95%"),
        "quality_expected": _("Verwacht bij deze instroom"),
        "quality_recovered": _("hersteld"),
        "too_few": str(VERDICT_SHORT[TOO_FEW]),
    }


def _quality_words(named: list[tuple[str, Quality]], baseline: str) -> html.Div:
    """Each year in a sentence, and the latest without the correction, for contrast."""
    reader = language()
    sentences = [html.P(quality_sentence(name, q, reader)) for name, q in named]
    latest, last = named[-1]
    raw = unadjusted_sentence(latest, baseline, last, reader) if len(named) > 1 else ""
    return html.Div(
        className="quality-words",
        children=[*sentences, *([html.P(raw, className="note")] if raw else [])],
    )


def _quality_chart(named: list[tuple[str, Quality]], labels: dict[str, str]) -> tuple:
    title = _("Hersteld per jaar, tegen wat bij de instroom verwacht werd")
    summary = _(
        "Het punt is het gemeten aandeel hersteld, de lijn erdoor het 95%%-interval; het "
        "streepje is wat bij de ernst van de instroom van dat jaar verwacht werd. Valt het "
        "streepje binnen de lijn, dan verschilt het herstel niet aantoonbaar van de verwachting. "
        "Een jaar met minder dan %(minimum)s gemeten behandelingen krijgt geen punt.",
        minimum=MIN_EPISODES,
    )
    reader = language()
    columns = [_("Jaar"), labels["quality_observed"], labels["quality_expected"]]
    rows = []
    for name, q in named:
        c = q.outcomes["recovered"]
        if q.verdict == TOO_FEW:
            rows.append([name, labels["too_few"], "–"])
        else:
            interval = (
                f"[{percent(c.expected + c.low, reader)}; {percent(c.expected + c.high, reader)}]"
            )
            rows.append(
                [name, f"{percent(c.observed, reader)} {interval}", percent(c.expected, reader)]
            )
    return (
        [html.H3(title), html.P(summary)],
        figures.quality(named, labels),
        data_table(title, columns, rows),
    )


def _quality_table(named: list[tuple[str, Quality]]) -> html.Div:
    """Per year the adjusted outcomes beside what was expected, dropout, response and the
    verdict; a year of fewer than MIN_EPISODES measured treatments shows no figures."""
    reader = language()
    columns = [
        _("Jaar"),
        _("Gemeten"),
        _("Hersteld (verwacht)"),
        _("Verschil hersteld [%(interval)s]", interval="95%"),
        _("Verbeterd (verwacht)"),
        _("Onveranderd (verwacht)"),
        _("Verslechterd (verwacht)"),
        _("Effectgrootte [%(interval)s]", interval="95%"),
        _("Uitval (verwacht bij deze instroom)"),
        _("Respons op de vragenlijsten"),
        _("Kwaliteit"),
    ]
    rows = []
    for name, q in named:
        if q.verdict == TOO_FEW:
            rows.append([name, f"< {MIN_EPISODES}", *["–"] * 8, str(VERDICT_SHORT[TOO_FEW])])
            continue
        outcomes = q.outcomes
        rows.append(
            [
                name,
                str(q.measured),
                _beside(outcomes["recovered"], reader),
                _difference(outcomes["recovered"], reader),
                _beside(outcomes["improved"], reader),
                _beside(outcomes["unchanged"], reader),
                _beside(outcomes["deteriorated"], reader),
                _effect(q.effect_size, reader),
                _beside(q.dropout, reader),
                percent(q.response_rate.observed, reader),
                str(VERDICT_SHORT[q.verdict]),
            ]
        )
    return data_table(_("De cijfers per jaar"), columns, rows)


def _beside(c: Comparison, reader: str) -> str:
    """38% (36%): the share, and in brackets what was expected."""
    if c.observed is None:
        return "–"
    expected = "" if c.expected is None else f" ({percent(c.expected, reader)})"
    return percent(c.observed, reader) + expected


def _difference(c: Comparison, reader: str) -> str:
    """+2% [-5%; +9%]: the difference from the expectation and its 95% interval."""
    if c.difference is None:
        return "–"
    low, high = percent(c.low, reader, signed=True), percent(c.high, reader, signed=True)
    return f"{percent(c.difference, reader, signed=True)} [{low}; {high}]"


def _effect(c: Comparison, reader: str) -> str:
    """+0,12 [-0,20; +0,44]: the severity-adjusted effect size in SD units and its interval."""
    if c.difference is None:
        return "–"
    low, high = (decimal_or_dash(v, 2, reader, signed=True) for v in (c.low, c.high))
    return f"{decimal(c.difference, 2, reader, signed=True)} [{low}; {high}]"

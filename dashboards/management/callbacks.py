"""The management callback: aggregates and pseudonymous figures only (managers and admins)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from dash import Dash, Input, Output, html
from flask import current_app
from flask_login import current_user

from dashboards.inputs import one_of, optional_text, year
from dashboards.management import figures, ids
from dashboards.texts import labels as labels_in_language
from dashboards.texts import language, t
from dashboards.theme import empty_figure
from rom.audit import record
from rom.clock import organisation_today
from rom.extensions import db
from rom.instruments import library
from rom.numbers import decimal
from rom.reports.summary import Figures, Period, organisation_summary
from rom.reports.waiting import WaitingFigures
from rom.services.reports import report_inputs, waiting_inputs
from rom.staff.filters import kind_label


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.TABLE, "children"),
        Output(ids.VOLUME, "figure"),
        Output(ids.RATES, "figure"),
        Output(ids.OUTCOMES, "figure"),
        Output(ids.DROPOUT, "figure"),
        Input(ids.PERIOD, "start_date"),
        Input(ids.PERIOD, "end_date"),
        Input(ids.BASELINE, "value"),
        Input(ids.DIMENSION, "value"),
    )(show_organisation)


def show_organisation(start: str | None, end: str | None, baseline: int | None, by: str):
    labels = labels_in_language()
    start, end = optional_text(start, 40), optional_text(end, 40)
    baseline_year = year(baseline, current_app.config["BASELINE_YEAR"])
    by = one_of(by, ("kind", "therapist"))
    try:
        period = Period(date.fromisoformat(start[:10]), date.fromisoformat(end[:10]))
    except (TypeError, ValueError):
        period = None
    if period is None or period.end < period.start:
        message = html.P(t("period"), className="notice")
        empty = empty_figure(labels["no_data"])
        return message, empty, empty, empty, empty
    scale = library()["phq9"].scale("total")
    inputs = report_inputs()
    summary = organisation_summary(inputs, period, scale, baseline_year)
    waiting = waiting_inputs(inputs, period, organisation_today())
    record(current_user, "view", "management_dashboard", None, start=start, end=end)
    db.session.commit()
    rows = summary.by_kind if by == "kind" else summary.by_therapist
    rows = [_labelled(row) for row in rows]
    return (
        html.Div(
            [_table([*rows, replace(summary.total, label=t("total"))]), _waiting_table(waiting)]
        ),
        figures.volume(summary.growth, labels),
        figures.rates(rows, labels),
        figures.outcomes(rows, labels),
        figures.dropout(rows, labels),
    )


def _labelled(row: Figures) -> Figures:
    """A kind of group by its name in the reader's language (therapists keep theirs)."""
    return replace(row, label=kind_label(row.label))


def _table(rows) -> html.Table:
    keys = ("groups_count", "members_count", "sessions_count", "volume_short", "attendance")
    keys += ("response", "dropouts", "flags_count", "days_to_ack", "acted_short", "briefed_short")
    head = html.Tr([html.Th("", scope="col"), *[html.Th(t(k), scope="col") for k in keys]])
    body = [
        html.Tr(
            [
                html.Th(row.label, scope="row"),
                html.Td(row.groups),
                html.Td(row.members),
                html.Td(row.sessions_held),
                html.Td(row.volume),
                html.Td(_percent(row.attendance)),
                html.Td(_percent(row.response_rate)),
                html.Td(row.dropouts),
                html.Td(row.flags_raised),
                html.Td(
                    "–"
                    if row.median_days_to_acknowledge is None
                    else decimal(row.median_days_to_acknowledge, 1, language())
                ),
                html.Td(_percent(row.acted_by_next_session)),
                html.Td(_percent(row.briefings_opened)),
            ]
        )
        for row in rows
    ]
    return html.Table(className="plain", children=[html.Thead(head), html.Tbody(body)])


def _waiting_table(waiting: WaitingFigures) -> html.Table:
    days = waiting.median_days_to_first_session
    rows = [
        (t("waiting_now"), str(waiting.waiting), ""),
        *(
            (t("any_kind") if kind == "any" else kind_label(kind), str(n), "part")
            for kind, n in waiting.waiting_by_kind.items()
        ),
        (t("placed"), str(waiting.placed), ""),
        (t("days_to_first"), "–" if days is None else f"{days:.0f}", ""),
        (t("fill_rate"), _percent(waiting.fill_rate), ""),
        (t("not_started"), str(waiting.groups_not_started), ""),
    ]
    return html.Table(
        className="plain",
        children=[
            html.Caption(t("waiting_title")),
            html.Tbody(
                [
                    html.Tr([html.Th(name, scope="row", className=part), html.Td(value)])
                    for name, value, part in rows
                ]
            ),
        ],
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"

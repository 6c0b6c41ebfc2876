"""The group dashboard's callback: read the group and member from the address, check access,
load, draw. The group id comes from the browser and may be forged: it is authorised first."""

from __future__ import annotations

from urllib.parse import parse_qs

import pandas as pd
from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component
from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from dashboards.group import figures, ids
from dashboards.inputs import optional_text, record_id
from dashboards.page import caption, chart_outputs, choices, data_table
from dashboards.paths import group_address
from dashboards.texts import labels as labels_in_language
from dashboards.theme import GRAPH_CONFIG, empty_figure
from rom.access import led_group_for, led_groups
from rom.analytics.replay import SEVERITY_ORDER
from rom.audit import audited_read
from rom.extensions import db
from rom.instruments import phq9_total
from rom.models import Group
from rom.services.dashboards import GroupView, group_view


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.HEADING, "children"),
        Output(ids.GROUPS, "children"),
        Output(f"{ids.COURSES}-caption", "children"),
        Output(ids.COURSES, "children"),
        Output(f"{ids.COURSES}-table", "children"),
        *chart_outputs(ids.OVERVIEW),
        *chart_outputs(ids.CLIMATE),
        *chart_outputs(ids.RATES),
        Output(ids.FLAGS, "children"),
        Output(ids.REPORT, "href"),
        Input(ids.URL, "search"),
    )(show_group)


def wanted(search: object) -> tuple[int | None, str | None]:
    """The group id and member code the address asks for (400 when they are malformed)."""
    query = parse_qs((optional_text(search, 400) or "").lstrip("?"))
    group = query.get("group", [None])[0]
    member = optional_text(query.get("member", [None])[0], 40)
    return (None if group is None else record_id(group)), member


def show_group(search: str | None) -> tuple:
    group_id, member = wanted(search)
    groups = db.session.scalars(led_groups(current_user)).all()
    if group_id is None and not groups:
        return _nothing()
    group: Group = led_group_for(current_user, group_id or groups[0].id)
    view = group_view(group, current_user.language)
    audited_read("view", "group_dashboard", group.id, member=member)
    labels = labels_in_language()
    selected = member if member in set(view.panel["member_id"]) else None
    return (
        group.name,
        choices(_("Groep"), [(g.name, group_address(g.id), g.id == group.id) for g in groups]),
        *_courses(group, view, selected, labels),
        *_overview(view.panel, selected, labels),
        *_climate(view.panel, selected, labels),
        *_rates(view.panel, labels),
        _flag_list(view.flags, selected),
        url_for("staff.group_pdf", group_id=group.id),
    )


def _nothing() -> tuple:
    empty = empty_figure(_("Kies een groep"))
    chart = ([], empty, [])
    return (_("Groepsdashboard"), [], [], [], [], *chart, *chart, *chart, [], "#")


def _courses(group: Group, view: GroupView, selected: str | None, labels: dict) -> tuple:
    """Every member's course in a panel of their own with their expected band: whoever is off
    course comes first and in another colour, so they stand out without choosing anyone."""
    found = figures.courses(view.panel, view.expected, view.flags)
    title = html.H2(
        _("Klachten per lid (PHQ-9) tegen het verwachte verloop"), id=f"{ids.COURSES}-title"
    )
    if not found:
        return [title, html.P(_("Nog geen gegevens"))], [], []
    off = [c.member_id for c in found if c.off_course]
    summary = (
        _(
            "%(off)s van %(all)s leden niet op koers: %(who)s.",
            off=len(off),
            all=len(found),
            who=", ".join(off),
        )
        if off
        else _("Alle %(all)s leden op koers.", all=len(found))
    )
    key = _(
        "Per lid: de blauwe band is het verwachte verloop (25-75%) voor wie zo begon, de "
        "gestreepte lijn de grens van klinische ernst, een ruit een signaal. Kies een lid om het "
        "overal uit te lichten."
    )
    if selected:
        key += " " + _(
            "Bij het gekozen lid tonen paarse stippellijnen de grenzen van betrouwbare "
            "verandering sinds de start."
        )
    back = (
        [dcc.Link(_("Alle leden gelijk tonen"), href=group_address(group.id))] if selected else []
    )
    sessions = view.panel["session_no"]
    reach = (int(sessions.min()), int(sessions.max()))
    norms = phq9_total().norms
    own = _by_member(view.panel.dropna(subset=["phq9"]))
    bands = _by_member(view.expected)
    flags = _by_member(view.flags)
    panels = [
        _panel(
            group,
            figures.member_course(
                own[course.member_id],
                bands.get(course.member_id, view.expected.iloc[:0]),
                flags.get(course.member_id, view.flags.iloc[:0]),
                course,
                labels,
                cutoff=norms.cutoff,
                reliable_change=norms.reliable_change if course.member_id == selected else None,
                sessions=reach,
            ),
            course,
            labels,
            selected,
        )
        for course in found
    ]
    table = data_table(
        _("PHQ-9 per lid"),
        [_("Lid"), _("Start"), _("Nu (sessie)"), _("Verwacht nu (25-75%)"), _("Stand")],
        figures.course_rows(found, labels),
    )
    return [title, html.P(summary, className="message"), html.P(key), *back], panels, table


def _by_member(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each member's rows, split once for the whole group."""
    if rows.empty:
        return {}
    return {str(member): part for member, part in rows.groupby("member_id", sort=False)}


def _panel(
    group: Group,
    figure: dict,
    course: figures.Course,
    labels: dict[str, str],
    selected: str | None,
) -> html.Div:
    """A member's panel: their code (a link that chooses them), where they stand, the drawing
    named by a sentence that says the same."""
    chosen = course.member_id == selected
    name = (
        html.Strong(course.member_id, **{"aria-current": "true"})
        if chosen
        else dcc.Link(course.member_id, href=group_address(group.id, course.member_id))
    )
    classes = [
        "panel",
        *(["off-course"] if course.off_course else []),
        *(["selected"] if chosen else []),
    ]
    return html.Div(
        className=" ".join(classes),
        children=[
            html.H3(name),
            html.P(figures.state_text(course, labels), className="state"),
            html.Div(
                role="img",
                className="drawing",
                children=dcc.Graph(figure=figure, config=GRAPH_CONFIG, style={"height": "190px"}),
                **{"aria-label": figures.course_sentence(course, labels)},
            ),
        ],
    )


def _overview(panel: pd.DataFrame, selected: str | None, labels: dict) -> tuple:
    title = _("Overzicht: score per sessie (✓ aanwezig, ✗ afwezig, a afgemeld, · geen vragenlijst)")
    sessions, rows = figures.overview_rows(panel, labels)
    columns = [_("Lid"), *[_("Sessie %(number)s", number=s) for s in sessions]]
    return (
        caption(title),
        figures.overview(panel, selected, labels),
        data_table(title, columns, rows),
    )


def _climate(panel: pd.DataFrame, selected: str | None, labels: dict) -> tuple:
    title = _("Groepsklimaat (GCQ-S) en cohesie, gemiddelde en spreiding (25-75%)")
    rows = figures.climate_rows(panel, labels)
    summary = (
        _("Laatste sessie (%(number)s): ", number=rows[-1][0])
        + ", ".join(
            f"{labels[scale].lower()} {value}"
            for scale, value in zip(figures.CLIMATE, rows[-1][1:], strict=True)
        )
        + "."
        if rows
        else ""
    )
    columns = [labels["session"], *[labels[scale] for scale in figures.CLIMATE]]
    return (
        caption(title, summary),
        figures.climate(panel, selected, labels),
        data_table(title, columns, rows),
    )


def _rates(panel: pd.DataFrame, labels: dict) -> tuple:
    title = _("Opkomst en respons per sessie")
    rows = figures.rate_rows(panel) if not panel.empty else []
    summary = (
        _(
            "Gemiddeld %(present)s aanwezig, %(answered)s vragenlijst ingevuld.",
            present=f"{(panel['status'] == 'present').mean():.0%}",
            answered=f"{panel['responded'].mean():.0%}",
        )
        if rows
        else ""
    )
    columns = [labels["session"], labels["attendance"], labels["response"]]
    return caption(title, summary), figures.rates(panel, labels), data_table(title, columns, rows)


def _flag_list(flags: pd.DataFrame, selected: str | None) -> list[Component]:
    heading = html.H2(_("Open signalen"))
    if flags.empty:
        return [heading, html.P(_("Geen open signalen."))]
    ordered = flags.assign(rank=flags["severity"].map(SEVERITY_ORDER)).sort_values(
        ["rank", "raised_session"]
    )
    severity = {
        "critical": _("Kritiek"),
        "high": _("Hoog"),
        "medium": _("Middel"),
        "low": _("Laag"),
    }
    items = [
        html.Li(
            className=f"flag severity-{f.severity}"
            + (" selected" if f.member_id == selected else ""),
            children=[
                html.Strong(f"{f.member_id or _('Groep')} · {f.kind_text}"),
                html.Span(f" ({severity.get(f.severity, '')})", className="badge"),
                html.P(f.reasons_text),
                html.P(f.action_text, className="action"),
                html.A(
                    _("Actie vastleggen"),
                    href=url_for("staff.caseload", _anchor=f"flag-{f.flag_id}"),
                ),
            ],
        )
        for f in ordered.itertuples(index=False)
    ]
    return [heading, html.Ul(items)]

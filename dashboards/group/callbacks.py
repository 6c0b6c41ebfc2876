"""The group dashboard's callbacks: check access, load, draw. Every callback authorises the
group it is given: the id comes from the browser and may be forged."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Dash, Input, Output, ctx, html, no_update
from flask_login import current_user

from dashboards.group import figures, ids
from dashboards.inputs import optional_text, record_id
from dashboards.texts import labels as labels_in_language
from dashboards.texts import t
from dashboards.theme import empty_figure
from rom.access import led_group_for, led_groups
from rom.analytics.replay import SEVERITY_ORDER
from rom.audit import record
from rom.extensions import db
from rom.instruments import library
from rom.models import Group
from rom.services.dashboards import group_view


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.GROUP, "options"), Output(ids.GROUP, "value"), Input(ids.URL, "search")
    )(choose_group)
    app.callback(
        Output(ids.MEMBER, "options"),
        Output(ids.TRAJECTORIES, "figure"),
        Output(ids.OVERVIEW, "figure"),
        Output(ids.CLIMATE, "figure"),
        Output(ids.RATES, "figure"),
        Output(ids.FLAGS, "children"),
        Output(ids.REPORT, "href"),
        Input(ids.GROUP, "value"),
        Input(ids.MEMBER, "value"),
    )(show_group)
    app.callback(
        Output(ids.MEMBER, "value"),
        Input(ids.TRAJECTORIES, "clickData"),
        Input(ids.OVERVIEW, "clickData"),
        prevent_initial_call=True,
    )(select_member)


def choose_group(search: str | None) -> tuple[list[dict], int | None]:
    groups = db.session.scalars(led_groups(current_user)).all()
    options = [{"label": g.name, "value": g.id} for g in groups]
    wanted = parse_qs((search or "").lstrip("?")).get("group", [""])[0]
    chosen = next((g.id for g in groups if str(g.id) == wanted), groups[0].id if groups else None)
    return options, chosen


def show_group(group_id: int | None, member: str | None):
    if group_id is None:
        empty = empty_figure(t("choose_group"))
        return [], empty, empty, empty, empty, [], "#"
    member = optional_text(member)
    group: Group = led_group_for(current_user, record_id(group_id))
    view = group_view(group, current_user.language)
    record(current_user, "view", "group_dashboard", group.id, member=member)
    db.session.commit()
    labels = labels_in_language()
    members = sorted(view.panel["member_id"].unique())
    selected = member if member in members else None
    norms = library()["phq9"].scale("total").norms
    return (
        [{"label": m, "value": m} for m in members],
        figures.trajectories(
            view.panel,
            view.expected,
            view.flags,
            selected,
            labels,
            norms.cutoff,
            norms.reliable_change,
        ),
        figures.overview(view.panel, selected, labels),
        figures.climate(view.panel, selected, labels),
        figures.rates(view.panel, labels),
        _flag_list(view.flags, selected),
        f"/staff/groups/{group.id}/report.pdf",
    )


def _flag_list(flags, selected: str | None) -> list:
    if flags.empty:
        return [html.H2(t("open_flags")), html.P(t("no_flags"))]
    ordered = flags.assign(rank=flags["severity"].map(SEVERITY_ORDER)).sort_values(
        ["rank", "raised_session"]
    )
    items = [
        html.Li(
            className=f"flag severity-{f.severity}"
            + (" selected" if f.member_id == selected else ""),
            children=[
                html.Strong(f"{f.member_id or t('group')} · {f.kind_text}"),
                html.Span(f" ({t('severity_' + f.severity)})", className="badge"),
                html.P(f.reasons_text),
                html.P(f.action_text, className="action"),
                html.A(t("acknowledge"), href=f"/staff/flags#flag-{f.flag_id}"),
            ],
        )
        for f in ordered.itertuples(index=False)
    ]
    return [html.H2(t("open_flags")), html.Ul(items)]


def select_member(trajectory_click: dict | None, overview_click: dict | None):
    click = trajectory_click if ctx.triggered_id == ids.TRAJECTORIES else overview_click
    point = (click or {}).get("points", [{}])[0]
    member = point.get("customdata") if ctx.triggered_id == ids.TRAJECTORIES else point.get("y")
    return member if isinstance(member, str) else no_update

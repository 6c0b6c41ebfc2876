"""The caseload callback: the groups the user leads only (access.led_groups)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from dash import Dash, Input, Output, html
from flask import current_app
from flask_babel import gettext as _
from flask_login import current_user

from dashboards.caseload import figures, ids
from dashboards.page import caption, chart_outputs, data_table
from dashboards.paths import group_address
from dashboards.texts import labels as labels_in_language
from rom.access import led_groups
from rom.analytics.replay import SEVERITY_ORDER
from rom.audit import audited_read
from rom.clock import to_local
from rom.extensions import db
from rom.models import GroupSession, Membership, SessionStatus, utcnow
from rom.services.dashboards import flag_texts
from rom.services.flagging import open_flags


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.GROUPS, "children"),
        *chart_outputs(ids.CHART),
        Output(ids.TODO, "children"),
        Input(ids.URL, "pathname"),
    )(show_caseload)


def show_caseload(_pathname: str | None) -> tuple:
    groups = db.session.scalars(led_groups(current_user)).all()
    group_ids = [g.id for g in groups]
    flags = flag_texts(open_flags(group_ids=group_ids), current_user.language)
    names = {g.code: g.name for g in groups}
    flags = flags.assign(
        group_name=flags["group_id"].map(names),
        rank=flags["severity"].map(SEVERITY_ORDER),
    ).sort_values(["rank", "raised_session"])
    upcoming = _next_sessions(group_ids)
    members = _member_counts(group_ids)
    audited_read("view", "caseload_dashboard", None, groups=group_ids)
    labels = labels_in_language()
    ordered = sorted(groups, key=lambda g: upcoming.get(g.id) or datetime.max)
    names = [g.name for g in ordered]
    title = _("Open signalen per groep, naar urgentie")
    columns = [_("Groep"), *[labels[f"severity_{s}"] for s in figures.SEVERITIES]]
    return (
        _groups_table(ordered, upcoming, members, flags),
        caption(
            title,
            _(
                "%(count)s open signalen in %(groups)s groepen.",
                count=len(flags),
                groups=len(names),
            ),
        ),
        figures.flags_by_group(flags, names, labels),
        data_table(
            title, columns, figures.flag_counts(flags, names).reset_index().to_numpy().tolist()
        ),
        _todo(ordered, upcoming, flags),
    )


def _next_sessions(group_ids: list[int]) -> dict[int, datetime]:
    rows = db.session.execute(
        sa.select(GroupSession.group_id, sa.func.min(GroupSession.planned_start))
        .where(
            GroupSession.group_id.in_(group_ids),
            GroupSession.status == SessionStatus.PLANNED,
            GroupSession.planned_start > utcnow(),
        )
        .group_by(GroupSession.group_id)
    ).all()
    zone = current_app.config["TIMEZONE"]
    return {group_id: to_local(start, zone) for group_id, start in rows}


def _member_counts(group_ids: list[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(Membership.group_id, sa.func.count())
            .where(Membership.group_id.in_(group_ids), Membership.left_session.is_(None))
            .group_by(Membership.group_id)
        ).all()
    )


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d-%m-%Y %H:%M") if moment else _("geen gepland")


def _groups_table(groups, upcoming, members, flags) -> list:
    counts = flags.groupby("group_name").size()
    rows = [
        html.Tr(
            [
                html.Td(html.A(g.name, href=group_address(g.id))),
                html.Td(_when(upcoming.get(g.id))),
                html.Td(members.get(g.id, 0)),
                html.Td(int(counts.get(g.name, 0))),
            ]
        )
        for g in groups
    ]
    head = html.Tr(
        [
            html.Th(name, scope="col")
            for name in (_("Groep"), _("Volgende sessie"), _("Leden"), _("Open signalen"))
        ]
    )
    return [
        html.Div(
            className="scroll",
            tabIndex="0",
            role="region",
            children=html.Table(className="plain", children=[html.Thead(head), html.Tbody(rows)]),
            **{"aria-label": _("Mijn groepen")},
        )
    ]


def _todo(groups, upcoming, flags) -> list:
    sections = [html.H2(_("Vóór de volgende sessie"))]
    for group in groups:
        own = flags[flags["group_name"] == group.name]
        items = (
            [
                html.Li(
                    className=f"flag severity-{f.severity}",
                    children=[
                        html.Strong(f"{f.member_id or _('Groep')} · {f.kind_text}"),
                        html.P(f.action_text, className="action"),
                        html.P(f.reasons_text),
                    ],
                )
                for f in own.itertuples(index=False)
            ]
            if not own.empty
            else [html.Li(_("Geen signalen: niets bijzonders."))]
        )
        sections.append(html.H3(f"{group.name} · {_when(upcoming.get(group.id))}"))
        sections.append(html.Ul(items))
    return sections

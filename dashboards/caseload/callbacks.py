"""The caseload callback: the groups the user leads only (access.led_groups)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from dash import Dash, Input, Output, html
from flask import current_app
from flask_login import current_user

from dashboards.caseload import figures, ids
from dashboards.texts import labels as labels_in_language
from dashboards.texts import t
from rom.access import led_groups
from rom.analytics.replay import SEVERITY_ORDER
from rom.audit import record
from rom.clock import to_local
from rom.extensions import db
from rom.models import GroupSession, Membership, SessionStatus, utcnow
from rom.services.dashboards import flag_texts
from rom.services.flagging import open_flags


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output(ids.GROUPS, "children"),
        Output(ids.CHART, "figure"),
        Output(ids.TODO, "children"),
        Input(ids.URL, "pathname"),
    )(show_caseload)


def show_caseload(_: str | None):
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
    record(current_user, "view", "caseload_dashboard", None, groups=group_ids)
    db.session.commit()
    labels = labels_in_language()
    ordered = sorted(groups, key=lambda g: upcoming.get(g.id) or datetime.max)
    return (
        _groups_table(ordered, upcoming, members, flags),
        figures.flags_by_group(flags, [g.name for g in ordered], labels),
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
    return moment.strftime("%d-%m-%Y %H:%M") if moment else t("none_planned")


def _groups_table(groups, upcoming, members, flags) -> list:
    counts = flags.groupby("group_name").size()
    rows = [
        html.Tr(
            [
                html.Td(html.A(g.name, href=f"/dash/group/?group={g.id}")),
                html.Td(_when(upcoming.get(g.id))),
                html.Td(members.get(g.id, 0)),
                html.Td(int(counts.get(g.name, 0))),
            ]
        )
        for g in groups
    ]
    head = html.Tr(
        [html.Th(t(k), scope="col") for k in ("group", "next_session", "members", "open_flags")]
    )
    return [
        html.H1(t("caseload")),
        html.Table(className="plain", children=[html.Thead(head), html.Tbody(rows)]),
    ]


def _todo(groups, upcoming, flags) -> list:
    sections = [html.H2(t("before_next"))]
    for group in groups:
        own = flags[flags["group_name"] == group.name]
        items = (
            [
                html.Li(
                    className=f"flag severity-{f.severity}",
                    children=[
                        html.Strong(f"{f.member_id or t('group')} · {f.kind_text}"),
                        html.P(f.action_text, className="action"),
                        html.P(f.reasons_text),
                    ],
                )
                for f in own.itertuples(index=False)
            ]
            if not own.empty
            else [html.Li(t("nothing_to_do"))]
        )
        sections.append(html.H3(f"{group.name} · {_when(upcoming.get(group.id))}"))
        sections.append(html.Ul(items))
    return sections

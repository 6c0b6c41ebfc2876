"""The thin loaders: database rows → the frames rom/analytics works on."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from questionnaires import critical_frame
from rom.analytics.inputs import Frames
from rom.clock import to_local
from rom.extensions import db
from rom.instruments import library
from rom.models import (
    Answer,
    Attendance,
    Client,
    Group,
    GroupSession,
    Membership,
    Response,
    Score,
    SessionStatus,
)


def _frame(query: sa.Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(db.session.execute(query).all(), columns=columns)


def load_frames(group_ids: list[int] | None = None) -> Frames:
    """Every group's data (or only the given groups'), as analytics frames."""
    where = [Group.id.in_(group_ids)] if group_ids is not None else []
    groups = _frame(
        sa.select(Group.code, Group.format, Group.planned_sessions).where(*where),
        ["group_id", "format", "planned_sessions"],
    )
    groups["format"] = groups["format"].map(lambda f: f.value)
    roster = _frame(
        sa.select(
            Group.code,
            Client.code,
            Membership.joined_session,
            Membership.left_session,
            Membership.leave_reason,
        )
        .join(Group)
        .join(Client)
        .where(*where),
        ["group_id", "member_id", "joined_session", "left_session", "leave_reason"],
    )
    roster["leave_reason"] = roster["leave_reason"].map(lambda r: getattr(r, "value", None))
    return Frames(
        groups=groups,
        roster=roster,
        sessions=_sessions(where),
        attendance=_attendance(where),
        scores=_scores(where),
        critical=_critical(where),
    )


def _sessions(where: list) -> pd.DataFrame:
    rows = _frame(
        sa.select(Group.code, GroupSession.number, GroupSession.planned_start, GroupSession.status)
        .join(Group)
        .where(*where),
        ["group_id", "session_no", "start", "status"],
    )
    timezone = current_app.config["TIMEZONE"]
    rows["date"] = pd.to_datetime([to_local(s, timezone).date() for s in rows["start"]])
    rows["held"] = rows["status"] == SessionStatus.HELD
    return rows[["group_id", "session_no", "date", "held"]]


def _attendance(where: list) -> pd.DataFrame:
    query = (
        sa.select(Group.code, Client.code, GroupSession.number, Attendance.status)
        .join(GroupSession, Attendance.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Attendance.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
        .where(*where)
    )
    rows = _frame(query, ["group_id", "member_id", "session_no", "status"])
    rows["status"] = rows["status"].map(lambda s: s.value)
    return rows


def response_rows(*columns: sa.ColumnElement) -> sa.Select:
    """Responses as group_code, member_code, number (session), instrument_id, then `columns`."""
    return (
        sa.select(
            Group.code.label("group_code"),
            Client.code.label("member_code"),
            GroupSession.number,
            Response.instrument_id,
            *columns,
        )
        .select_from(Response)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Response.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
    )


def answer_rows(*columns: sa.ColumnElement) -> sa.Select:
    """Every answer with its response's codes and session, then item, value and `columns`."""
    return response_rows(Answer.item, Answer.value, *columns).join(
        Answer, Answer.response_id == Response.id
    )


def _scores(where: list) -> pd.DataFrame:
    query = (
        response_rows(Score.scale, Score.value)
        .join(Score, Score.response_id == Response.id)
        .where(Score.value.is_not(None), *where)
    )
    return _frame(query, ["group_id", "member_id", "session_no", "instrument", "scale", "value"])


def _critical(where: list) -> pd.DataFrame:
    columns = ["group_id", "member_id", "session_no", "instrument", "item", "value"]
    parts = []
    for instrument in library():
        for critical in instrument.critical_items:
            query = (
                response_rows(Answer.item, Answer.value)
                .join(Answer, Answer.response_id == Response.id)
                .where(
                    Response.instrument_id == instrument.id,
                    Answer.item == critical.item,
                    Answer.value.in_(sorted(critical.values)),
                    *where,
                )
            )
            parts.append(critical_frame(instrument, _frame(query, columns)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)

"""The co-therapists' briefing before a session: who needs attention and why, who did not answer,
attendance, who joins or leaves, the climate and cohesion trend, and points to raise. Built from
what was known before the session: measurements of earlier sessions and flags raised before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from rom.analytics.group_feedback import SCALES as CLIMATE
from rom.analytics.group_feedback import group_summary
from rom.analytics.replay import SEVERITY_ORDER
from rom.analytics.talking_points import Situation, talking_points
from rom.clock import to_local
from rom.extensions import db
from rom.flag_reasons import action_text, done_text, kind_text, reasons_text
from rom.models import (
    Attendance,
    Client,
    Flag,
    FlagStatus,
    Group,
    GroupSession,
    Invitation,
    Membership,
    Response,
    SessionStatus,
    in_group_at,
    utcnow,
)
from rom.reports.charts import trend_chart
from rom.services.group_feedback import climate_answers, held_sessions
from rom.talking_point_words import point_text

PATTERN_LENGTH = 4  # sessions of attendance shown per member
TREND_LENGTH = 8  # sessions in the climate and cohesion chart
TREND_LABELS = {
    "engagement": _l("betrokkenheid"),
    "conflict": _l("conflict"),
    "avoidance": _l("vermijding"),
    "cohesion": _l("cohesie"),
}


@dataclass(frozen=True)
class BriefingFlag:
    flag_id: int
    member: str | None  # None: a flag about the whole group
    kind: str
    severity: str
    reasons: str
    suggested: str
    acknowledged: bool
    done: str | None = None  # what was recorded as done, by whom and when


@dataclass(frozen=True)
class BriefingMember:
    membership_id: int
    label: str
    pattern: list[str | None]  # attendance at the last sessions, oldest first
    answered_latest: bool | None  # None: not invited to the latest session
    joining: bool
    leaving: bool


@dataclass(frozen=True)
class Briefing:
    group: Group
    session: GroupSession
    previous: list[GroupSession]  # the held sessions in the attendance pattern, oldest first
    flags: list[BriefingFlag]
    members: list[BriefingMember]
    trend: pd.DataFrame
    chart: Markup | None
    topics: list[tuple[str, str]]
    points: list[str]

    @property
    def not_answered(self) -> list[str]:
        return [m.label for m in self.members if m.answered_latest is False]

    @property
    def joining(self) -> list[str]:
        return [m.label for m in self.members if m.joining]

    @property
    def leaving(self) -> list[str]:
        return [m.label for m in self.members if m.leaving]


def briefing(
    session: GroupSession, language: str, now: datetime | None = None, with_names: bool = True
) -> Briefing:
    """The briefing for one session, in the reader's language; members by first name and code,
    or (`with_names` false, as on a printed sheet where the organisation wants it) by code."""
    group = session.group
    previous = held_sessions(session.group_id, session.number, now or utcnow())
    roster = _roster(session, with_names)
    labels = {m.id: label for m, label in roster}
    latest = previous[-1] if previous else None
    answered = _answered(latest, [m for m, _ in roster]) if latest else {}
    statuses = _attendance([s.id for s in previous[-PATTERN_LENGTH:]])
    final = session.number == _last_number(group)
    members = [
        BriefingMember(
            membership_id=m.id,
            label=label,
            pattern=[statuses.get((s.id, m.id)) for s in previous[-PATTERN_LENGTH:]],
            answered_latest=answered.get(m.id),
            joining=m.joined_session == session.number,
            leaving=m.left_session == session.number,
        )
        for m, label in roster
    ]
    trend = _trend(previous[-TREND_LENGTH:])
    topics = _topics(latest, labels) if latest and group.ask_topic else []
    last_statuses = [statuses.get((latest.id, m.id)) for m, _ in roster] if latest else []
    situation = Situation(
        trend=trend,
        joining=sum(m.joining for m in members),
        leaving=sum(m.leaving for m in members),
        final_session=final,
        absent_last_time=sum(s == "absent" for s in last_statuses),
        invited_last_time=len(answered),
        answered_last_time=sum(answered.values()),
        topics=len(topics),
    )
    return Briefing(
        group=group,
        session=session,
        previous=previous[-PATTERN_LENGTH:],
        flags=_flags(session, labels, language),
        members=members,
        trend=trend,
        chart=_chart(trend, language),
        topics=topics,
        points=[point_text(p, language) for p in talking_points(situation)],
    )


def _roster(session: GroupSession, with_names: bool = True) -> list[tuple[Membership, str]]:
    rows = db.session.execute(
        sa.select(Membership, Client.first_name, Client.code)
        .join(Client, Membership.client_id == Client.id)
        .where(in_group_at(session.group_id, session.number))
        .order_by(Client.first_name, Client.code)
    ).all()
    return [(m, f"{name} ({code})" if name and with_names else code) for m, name, code in rows]


def _last_number(group: Group) -> int:
    return db.session.scalar(
        sa.select(sa.func.max(GroupSession.number)).where(
            GroupSession.group_id == group.id, GroupSession.status != SessionStatus.CANCELLED
        )
    )


def _answered(session: GroupSession, roster: list[Membership]) -> dict[int, bool]:
    """Per member who was in the group at the session: whether they answered its questionnaire
    (by link, or entered by staff)."""
    members = [
        m.id
        for m in roster
        if m.joined_session <= session.number
        and (m.left_session is None or m.left_session >= session.number)
    ]
    answered = set(
        db.session.scalars(
            sa.select(Response.membership_id)
            .where(Response.session_id == session.id, Response.membership_id.in_(members))
            .distinct()
        )
    )
    return {m: m in answered for m in members}


def _attendance(session_ids: list[int]) -> dict[tuple[int, int], str]:
    rows = db.session.execute(
        sa.select(Attendance.session_id, Attendance.membership_id, Attendance.status).where(
            Attendance.session_id.in_(session_ids)
        )
    ).all()
    return {(s, m): status.value for s, m, status in rows}


def _trend(sessions: list[GroupSession]) -> pd.DataFrame:
    """Group means of the climate scales and cohesion per session."""
    numbers = [s.number for s in sessions]
    summary = group_summary(climate_answers(sessions), numbers, minimum=1)
    return summary[["session_no", *CLIMATE]]


def _chart(trend: pd.DataFrame, language: str) -> Markup | None:
    measured = trend.dropna(how="all", subset=list(CLIMATE))
    if len(measured) < 2:
        return None
    with force_locale(language):
        lines = {str(TREND_LABELS[c]): measured[c].tolist() for c in CLIMATE}
    return trend_chart(measured["session_no"].tolist(), lines, y_max=6.0, language=language)


def _topics(session: GroupSession, labels: dict[int, str]) -> list[tuple[str, str]]:
    rows = db.session.execute(
        sa.select(Invitation.membership_id, Invitation.topic).where(
            Invitation.session_id == session.id, Invitation.topic.is_not(None)
        )
    ).all()
    return sorted((labels[m], text) for m, text in rows if m in labels and text.strip())


def flag_done(flag: Flag, language: str) -> str | None:
    """'Besproken in de groep (Anna, ma 02-12-2026 14:03)': what was done about a flag, by whom
    and when, in the organisation's time; None while nothing was recorded."""
    if flag.action is None or flag.acknowledged_at is None:
        return None
    local = to_local(flag.acknowledged_at, current_app.config["TIMEZONE"])
    who = flag.acknowledged_by.name if flag.acknowledged_by else "?"
    return f"{done_text(flag.action.value, language)} ({who}, {local:%d-%m-%Y %H:%M})"


def _flags(session: GroupSession, labels: dict[int, str], language: str) -> list[BriefingFlag]:
    """Open flags raised before the session, most urgent first."""
    flags = db.session.scalars(
        sa.select(Flag).where(
            Flag.group_id == session.group_id,
            Flag.status == FlagStatus.OPEN,
            Flag.raised_session < session.number,
        )
    ).all()
    items = [
        BriefingFlag(
            flag_id=f.id,
            member=labels.get(f.membership_id) if f.membership_id else None,
            kind=kind_text(f.kind.value, language),
            severity=f.severity.value,
            reasons=reasons_text(f.reasons, language),
            suggested=action_text(f.suggested_action, language),
            acknowledged=f.acknowledged_at is not None,
            done=flag_done(f, language),
        )
        for f in flags
        if f.membership_id is None or f.membership_id in labels
    ]
    return sorted(items, key=lambda f: (SEVERITY_ORDER[f.severity], f.member or "", f.kind))

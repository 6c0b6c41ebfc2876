"""The reports as PDF: the data loaded from the database, summarised (rom/reports/summary.py),
charted and rendered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from rom.analytics.columns import GROUP, MEMBER, SESSION
from rom.analytics.panel import empty_panel
from rom.analytics.replay import prepared_panel
from rom.clock import organisation_today, to_local
from rom.extensions import db
from rom.flag_reasons import done_text, kind_text, reasons_text, state_text
from rom.frames import load_frames
from rom.i18n import reader_language
from rom.instruments import library
from rom.labels import (
    ATTENDANCE_LABELS,
    FLAG_STATUS_LABELS,
    FORMAT_LABELS,
    KIND_LABELS,
    LEAVE_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    label,
    words,
)
from rom.models import (
    AuditEvent,
    Client,
    Flag,
    Group,
    GroupSession,
    Membership,
    Referral,
    StaffUser,
    group_therapists,
)
from rom.reports import charts
from rom.reports.render import render_pdf
from rom.reports.summary import (
    OUTCOMES,
    TOTAL,
    Period,
    ReportInputs,
    group_course,
    member_rows,
    organisation_summary,
    outcome_per_member,
)
from rom.reports.waiting import WaitingFigures, waiting_figures
from rom.services.briefings import flag_done
from rom.services.courses import expected_course_today, expected_scores


def report_inputs(group_ids: list[int] | None = None) -> ReportInputs:
    where = [Group.id.in_(group_ids)] if group_ids is not None else []
    frames = load_frames(group_ids)
    panel = prepared_panel(frames)[0] if len(frames.sessions) else empty_panel()
    groups = pd.DataFrame(
        db.session.execute(sa.select(Group.code, Group.name, Group.kind).where(*where)).all(),
        columns=[GROUP, "name", "kind"],
    )
    groups["kind"] = groups["kind"].map(lambda k: k.value)
    therapists = pd.DataFrame(
        db.session.execute(
            sa.select(Group.code, StaffUser.name)
            .join(group_therapists, group_therapists.c.group_id == Group.id)
            .join(StaffUser, StaffUser.id == group_therapists.c.staff_id)
            .where(*where)
        ).all(),
        columns=[GROUP, "therapist"],
    )
    return ReportInputs(
        groups,
        therapists,
        frames.roster,
        frames.sessions,
        panel,
        _flags(where),
        _briefings(where),
    )


def waiting_inputs(inputs: ReportInputs, period: Period, today: date) -> WaitingFigures:
    """The waiting list and capacity figures of the period, from the database."""
    joined = (
        sa.select(GroupSession.planned_start)
        .where(
            GroupSession.group_id == Membership.group_id,
            GroupSession.number == Membership.joined_session,
        )
        .correlate(Membership)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Referral.kind, Referral.referred_on, Referral.status, joined).outerjoin(
            Membership, Referral.placed_membership_id == Membership.id
        )
    ).all()
    referrals = pd.DataFrame(
        [
            (
                kind.value if kind else None,
                referred,
                status.value,
                _local_day(pd.Series([start]))[0] if start else pd.NaT,
            )
            for kind, referred, status, start in rows
        ],
        columns=["kind", "referred_on", "status", "first_session_date"],
    )
    groups = pd.DataFrame(
        db.session.execute(sa.select(Group.code, Group.intended_size)).all(),
        columns=[GROUP, "intended_size"],
    )
    return waiting_figures(referrals, groups, inputs.roster, inputs.sessions, period, today)


def _local_day(moments: pd.Series) -> pd.Series:
    timezone = current_app.config["TIMEZONE"]
    return pd.to_datetime(
        [None if pd.isna(m) else to_local(m.to_pydatetime(), timezone).date() for m in moments]
    )


def _briefings(where: list) -> pd.DataFrame:
    """When each session's briefing (page or PDF) was first opened, read from the audit log."""
    rows = db.session.execute(
        sa.select(Group.code, GroupSession.number, sa.func.min(AuditEvent.at))
        .join(GroupSession, sa.cast(GroupSession.id, sa.String) == AuditEvent.subject_id)
        .join(Group, GroupSession.group_id == Group.id)
        .where(
            AuditEvent.action == "view",
            AuditEvent.subject_type.in_(("briefing", "briefing_pdf")),
            *where,
        )
        .group_by(Group.code, GroupSession.number)
    ).all()
    frame = pd.DataFrame(rows, columns=[GROUP, SESSION, "opened_at"])
    frame["opened_day"] = _local_day(pd.to_datetime(frame["opened_at"]))
    return frame[[GROUP, SESSION, "opened_day"]]


def _flags(where: list) -> pd.DataFrame:
    rows = db.session.execute(
        sa.select(
            Group.code,
            Client.code,
            Flag.kind,
            Flag.severity,
            Flag.status,
            Flag.raised_session,
            Flag.raised_at,
            Flag.acknowledged_at,
            Flag.action,
        )
        .join(Group, Flag.group_id == Group.id)
        .outerjoin(Membership, Flag.membership_id == Membership.id)
        .outerjoin(Client, Membership.client_id == Client.id)
        .where(*where)
    ).all()
    columns = [GROUP, MEMBER, "kind", "severity", "status", "raised_session", "raised_at"]
    frame = pd.DataFrame(rows, columns=[*columns, "acknowledged_at", "action"])
    for column in ("kind", "severity", "status", "action"):
        frame[column] = frame[column].map(lambda v: getattr(v, "value", v))
    for column in ("raised_at", "acknowledged_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame["acknowledged_day"] = _local_day(frame["acknowledged_at"])
    return frame


def _phq9_scale():
    return library()["phq9"].scale("total")


def _kindwords() -> dict:
    return words(KIND_LABELS) | {"any": _("elke soort"), TOTAL: _("Totaal")}


def _common(period_text: str) -> dict:
    return {
        "organisation": current_app.config["ORGANISATION_NAME"],
        "period_text": period_text,
        "made_on": organisation_today().strftime("%d-%m-%Y"),
    }


def organisation_report(start: date, end: date) -> bytes:
    period = Period(start, end)
    scale = _phq9_scale()
    inputs = report_inputs()
    summary = organisation_summary(inputs, period, scale, current_app.config["BASELINE_YEAR"])
    return render_pdf(
        "organisation.html",
        summary=summary,
        waiting=waiting_inputs(inputs, period, organisation_today()),
        labels=_kindwords(),
        period_days=period.days,
        reliable_change=scale.norms.reliable_change,
        cutoff=scale.norms.cutoff,
        outcome_chart=_outcome_chart(summary.by_kind),
        **_common(_("%(start)s t/m %(end)s", start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}")),
    )


def _outcome_chart(rows: list) -> object | None:
    if not rows or not any(sum(f.outcomes.values()) for f in rows):
        return None
    return charts.bar_chart(
        [label(KIND_LABELS, f.label) for f in rows],
        {name: [f.outcomes[name] for f in rows] for name in OUTCOMES},
        labels={name: str(OUTCOME_LABELS[name]) for name in OUTCOMES},
    )


def group_report(group: Group) -> bytes:
    language = reader_language()
    inputs = report_inputs([group.id])
    panel = inputs.panel
    course = group_course(panel) if len(panel) else group_course(empty_panel())
    scale = _phq9_scale()
    expected = expected_course_today()
    outcomes = outcome_per_member(panel, organisation_today(), scale).set_index(MEMBER)
    members = member_rows(panel).merge(
        inputs.roster[[MEMBER, "joined_session", "left_session", "leave_reason"]], on=MEMBER
    )
    flags = inputs.flags.sort_values(["raised_session", "kind"])
    per_member = []
    for row in members.itertuples(index=False):
        own = panel[panel[MEMBER] == row.member_id].sort_values("own_session")
        per_member.append(
            {
                "row": row,
                "outcome": outcomes["outcome"].get(row.member_id),
                "open": [
                    kind_text(k, language)
                    for k in flags.loc[
                        (flags[MEMBER] == row.member_id) & (flags["status"] == "open"), "kind"
                    ]
                ],
                "chart": _member_sparkline(own, expected),
            }
        )
    sessions = course["session_no"].tolist()
    return render_pdf(
        "group.html",
        group=group,
        kind=label(KIND_LABELS, group.kind),
        therapists=", ".join(t.name for t in group.therapists),
        course=course,
        members=per_member,
        flags=flags,
        kind_text=lambda kind: kind_text(kind, language),
        done_text=lambda action: done_text(action, language),
        outcome_labels=words(OUTCOME_LABELS),
        leave_labels=words(LEAVE_LABELS),
        format_label=lambda value: label(FORMAT_LABELS, value),
        severity_label=lambda value: label(SEVERITY_LABELS, value),
        flag_status_label=lambda value: label(FLAG_STATUS_LABELS, value),
        course_chart=charts.line_chart(
            sessions,
            {_("mediaan PHQ-9"): course["median"].tolist()},
            band=(course["p25"].tolist(), course["p75"].tolist()),
            band_label=_("middelste helft van de groep"),
            y_range=(0, 27),
            cutoff=scale.norms.cutoff,
            x_label=_("sessie"),
            y_label="PHQ-9",
        )
        if sessions
        else None,
        climate_chart=charts.line_chart(
            sessions,
            {
                _("betrokkenheid"): course["engagement"].tolist(),
                _("conflict"): course["conflict"].tolist(),
                _("vermijding"): course["avoidance"].tolist(),
                _("cohesie"): course["cohesion"].tolist(),
            },
            x_label=_("sessie"),
            y_label=_("gemiddelde score"),
        )
        if course["engagement"].notna().any() or course["cohesion"].notna().any()
        else None,
        **_common(
            _(
                "%(group)s · tot en met %(day)s",
                group=group.name,
                day=f"{organisation_today():%d-%m-%Y}",
            )
        ),
    )


def _member_chart(rows: pd.DataFrame, course, size=(6.3, 2.4)):
    measured = rows["phq9"].dropna()
    if measured.empty:
        return None
    intake = float(measured.iloc[0])
    band = expected_scores(course, intake, rows["own_session"])
    return charts.line_chart(
        rows["own_session"].tolist(),
        {"PHQ-9": rows["phq9"].tolist()},
        band=(band[75].tolist(), band[25].tolist()),
        band_label=_("verwacht (25-75%)"),
        y_range=(0, 27),
        cutoff=_phq9_scale().norms.cutoff,
        x_label=_("sessie"),
        y_label="PHQ-9",
        size=size,
    )


def _member_sparkline(rows: pd.DataFrame, course):
    measured = rows["phq9"].dropna()
    if measured.empty:
        return None
    band = expected_scores(course, float(measured.iloc[0]), rows["own_session"])
    return charts.sparkline(
        rows["own_session"].astype(int).tolist(),
        [None if pd.isna(v) else float(v) for v in rows["phq9"]],
        band=(band[75].tolist(), band[25].tolist()),
        cutoff=_phq9_scale().norms.cutoff,
    )


@dataclass(frozen=True)
class PrintedFlag:
    """A flag as the progress report prints it, in the reader's language."""

    kind: str
    severity: str
    critical: bool
    raised_session: int
    raised_on: str
    reasons: str
    state: str
    done: str | None


def _member_flags(membership: Membership, language: str) -> list[PrintedFlag]:
    """Every flag of the membership, newest first, critical answers included."""
    flags = db.session.scalars(
        sa.select(Flag).where(Flag.membership_id == membership.id).order_by(Flag.raised_at.desc())
    )
    zone = current_app.config["TIMEZONE"]
    return [
        PrintedFlag(
            kind=kind_text(flag.kind.value, language),
            severity=label(SEVERITY_LABELS, flag.severity),
            critical=flag.severity.value == "critical",
            raised_session=flag.raised_session,
            raised_on=f"{to_local(flag.raised_at, zone):%d-%m-%Y}",
            reasons=reasons_text(flag.reasons, language),
            state=state_text(flag.state, language),
            done=flag_done(flag, language),
        )
        for flag in flags
    ]


def member_report(membership: Membership) -> bytes:
    language = reader_language()
    inputs = report_inputs([membership.group_id])
    code = membership.client.code
    rows = inputs.panel[inputs.panel[MEMBER] == code].sort_values("own_session")
    scale = _phq9_scale()
    outcome = outcome_per_member(rows, organisation_today(), scale)
    course = expected_course_today()
    gad = rows["gad7"].dropna()
    return render_pdf(
        "member.html",
        attendance_label=lambda status: label(ATTENDANCE_LABELS, status),
        code=code,
        group=membership.group,
        rows=rows,
        outcome=None if outcome.empty else outcome.iloc[0],
        outcome_labels=words(OUTCOME_LABELS),
        reliable_change=scale.norms.reliable_change,
        cutoff=scale.norms.cutoff,
        phq_chart=_member_chart(rows, course),
        flags=_member_flags(membership, language),
        gad_chart=charts.line_chart(
            rows["own_session"].tolist(),
            {"GAD-7": rows["gad7"].tolist()},
            y_range=(0, 21),
            x_label=_("sessie"),
            y_label="GAD-7",
            size=(6.3, 2.0),
        )
        if not gad.empty
        else None,
        **_common(f"{membership.group.name} · {organisation_today():%d-%m-%Y}"),
    )

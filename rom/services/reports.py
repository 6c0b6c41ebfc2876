"""The reports as PDF: the data loaded from the database, summarised (rom/reports/summary.py),
charted and rendered."""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask import current_app

from rom.analytics.columns import GROUP, MEMBER, SESSION
from rom.analytics.panel import empty_panel
from rom.analytics.reasons import done_text, kind_text
from rom.analytics.replay import prepared_panel
from rom.clock import organisation_today, to_local
from rom.extensions import db
from rom.frames import load_frames
from rom.instruments import library
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
    Period,
    ReportInputs,
    group_course,
    member_rows,
    organisation_summary,
    outcome_per_member,
)
from rom.reports.waiting import WaitingFigures, waiting_figures
from rom.services.courses import expected_course_today, expected_scores

KIND_LABELS = {
    "psychotherapy": "Groepspsychotherapie",
    "psychoeducation": "Psycho-educatie",
    "skills": "Vaardigheidstraining",
    "art_psychomotor": "Vaktherapie / PMT",
    "recovery": "Herstelgroep",
    "family_system": "Systeemgroep",
}


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
        labels=KIND_LABELS,
        period_days=period.days,
        reliable_change=scale.norms.reliable_change,
        cutoff=scale.norms.cutoff,
        outcome_chart=_outcome_chart(summary.by_kind),
        **_common(f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}"),
    )


def _outcome_chart(rows: list) -> object | None:
    if not rows or not any(sum(f.outcomes.values()) for f in rows):
        return None
    return charts.bar_chart(
        [KIND_LABELS.get(f.label, f.label) for f in rows],
        {name: [f.outcomes[name] for f in rows] for name in OUTCOMES},
        labels={
            "recovered": "hersteld",
            "improved": "verbeterd",
            "unchanged": "onveranderd",
            "deteriorated": "verslechterd",
        },
    )


def group_report(group: Group) -> bytes:
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
                    kind_text(k)
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
        kind=KIND_LABELS.get(group.kind.value, group.kind.value),
        therapists=", ".join(t.name for t in group.therapists),
        course=course,
        members=per_member,
        flags=flags,
        kind_text=kind_text,
        done_text=done_text,
        outcome_labels=OUTCOME_LABELS["nl"],
        leave_labels=LEAVE_LABELS,
        course_chart=charts.line_chart(
            sessions,
            {"mediaan PHQ-9": course["median"].tolist()},
            band=(course["p25"].tolist(), course["p75"].tolist()),
            band_label="middelste helft van de groep",
            y_range=(0, 27),
            cutoff=scale.norms.cutoff,
            x_label="sessie",
            y_label="PHQ-9",
        )
        if sessions
        else None,
        climate_chart=charts.line_chart(
            sessions,
            {
                "betrokkenheid": course["engagement"].tolist(),
                "conflict": course["conflict"].tolist(),
                "vermijding": course["avoidance"].tolist(),
                "cohesie": course["cohesion"].tolist(),
            },
            x_label="sessie",
            y_label="gemiddelde score",
        )
        if course["engagement"].notna().any() or course["cohesion"].notna().any()
        else None,
        **_common(f"{group.name} · tot en met {organisation_today():%d-%m-%Y}"),
    )


LEAVE_LABELS = {  # the group report is in Dutch (the staff pages translate the form's labels)
    "completed": "afgerond",
    "dropped_out": "uitgevallen",
    "stepped_up": "opgeschaald",
    "stepped_down": "afgeschaald",
    "moved": "verhuisd of overgeplaatst",
}
OUTCOME_LABELS = {
    "nl": {
        "recovered": "hersteld",
        "improved": "verbeterd",
        "unchanged": "onveranderd",
        "deteriorated": "verslechterd",
        None: "nog geen twee metingen",
    },
    "en": {
        "recovered": "recovered",
        "improved": "improved",
        "unchanged": "unchanged",
        "deteriorated": "deteriorated",
        None: "fewer than two measurements",
    },
}


def _member_chart(rows: pd.DataFrame, course, language: str, size=(6.3, 2.4)):
    measured = rows["phq9"].dropna()
    if measured.empty:
        return None
    intake = float(measured.iloc[0])
    band = expected_scores(course, intake, rows["own_session"])
    label = {
        "nl": ("PHQ-9", "verwacht (25-75%)", "sessie"),
        "en": ("PHQ-9", "expected (25-75%)", "session"),
    }[language]
    return charts.line_chart(
        rows["own_session"].tolist(),
        {label[0]: rows["phq9"].tolist()},
        band=(band[75].tolist(), band[25].tolist()),
        band_label=label[1],
        y_range=(0, 27),
        cutoff=_phq9_scale().norms.cutoff,
        x_label=label[2],
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


def member_report(membership: Membership) -> bytes:
    language = membership.client.language.value
    inputs = report_inputs([membership.group_id])
    code = membership.client.code
    rows = inputs.panel[inputs.panel[MEMBER] == code].sort_values("own_session")
    scale = _phq9_scale()
    outcome = outcome_per_member(rows, organisation_today(), scale)
    course = expected_course_today()
    gad = rows["gad7"].dropna()
    return render_pdf(
        "member.html",
        lang=language,
        t=MEMBER_TEXTS[language],
        code=code,
        group=membership.group,
        rows=rows,
        outcome=None if outcome.empty else outcome.iloc[0],
        outcome_labels=OUTCOME_LABELS[language],
        reliable_change=scale.norms.reliable_change,
        cutoff=scale.norms.cutoff,
        phq_chart=_member_chart(rows, course, language),
        gad_chart=charts.line_chart(
            rows["own_session"].tolist(),
            {"GAD-7": rows["gad7"].tolist()},
            y_range=(0, 21),
            x_label=MEMBER_TEXTS[language]["session"],
            y_label="GAD-7",
            size=(6.3, 2.0),
        )
        if not gad.empty
        else None,
        **_common(f"{membership.group.name} · {organisation_today():%d-%m-%Y}"),
    )


MEMBER_TEXTS = {
    "nl": {
        "title": "Voortgangsverslag",
        "intro": "Scores op de vragenlijsten per bijeenkomst, voor het dossier. Een lagere score "
        "betekent minder klachten.",
        "session": "sessie",
        "own": "Eigen sessie",
        "group_session": "Groepssessie",
        "date": "Datum",
        "attended": "Aanwezig",
        "statuses": {"present": "ja", "absent": "nee", "excused": "afgemeld", None: "–"},
        "change": "Verandering",
        "first": "Eerste meting",
        "last": "Laatste meting",
        "difference": "Verschil",
        "rci": "Betrouwbare-veranderingsindex (RCI)",
        "class": "Beoordeling",
        "method": "Methode: Jacobson en Truax (1991). Een verandering van minstens {rc:.0f} "
        "punten op de PHQ-9 is betrouwbaar (groter dan meetfout). Hersteld: betrouwbaar "
        "verbeterd en van {cutoff:.0f} of hoger naar onder {cutoff:.0f}. De band in de grafiek "
        "toont hoe de middelste helft van de cliënten met dezelfde beginscore verliep.",
        "symptoms": "Klachten van somberheid (PHQ-9)",
        "anxiety": "Klachten van angst (GAD-7)",
        "none": "Nog geen twee metingen.",
    },
    "en": {
        "title": "Progress report",
        "intro": "Questionnaire scores per session, for the client file. A lower score means "
        "fewer symptoms.",
        "session": "session",
        "own": "Own session",
        "group_session": "Group session",
        "date": "Date",
        "attended": "Attended",
        "statuses": {"present": "yes", "absent": "no", "excused": "excused", None: "–"},
        "change": "Change",
        "first": "First measurement",
        "last": "Latest measurement",
        "difference": "Difference",
        "rci": "Reliable change index (RCI)",
        "class": "Assessment",
        "method": "Method: Jacobson and Truax (1991). A change of at least {rc:.0f} points on "
        "the PHQ-9 is reliable (larger than measurement error). Recovered: reliably improved "
        "and from {cutoff:.0f} or above to below {cutoff:.0f}. The band in the chart shows "
        "how the middle half of clients with the same starting score progressed.",
        "symptoms": "Symptoms of depression (PHQ-9)",
        "anxiety": "Symptoms of anxiety (GAD-7)",
        "none": "Fewer than two measurements so far.",
    },
}

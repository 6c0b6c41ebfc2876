"""The member's progress report (PDF): scores against the expected course, attendance, outcome
and every flag with what was done."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from rom.analytics.columns import MEMBER
from rom.clock import organisation_today, to_local
from rom.extensions import db
from rom.flag_reasons import kind_text, reasons_text, state_text
from rom.frames import report_inputs
from rom.i18n import reader_language
from rom.instruments import phq9_total
from rom.labels import ATTENDANCE_LABELS, OUTCOME_LABELS, SEVERITY_LABELS, label, words
from rom.models import Flag, Membership
from rom.reports import charts
from rom.reports.render import page_header, render_pdf
from rom.reports.summary import outcome_per_member
from rom.services.briefings import flag_done
from rom.services.courses import expected_course_today, expected_scores


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
        cutoff=phq9_total().norms.cutoff,
        x_label=_("sessie"),
        y_label="PHQ-9",
        size=size,
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
    scale = phq9_total()
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
        **page_header(f"{membership.group.name} · {organisation_today():%d-%m-%Y}"),
    )

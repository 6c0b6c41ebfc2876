"""The group report (PDF): the group's course, climate and cohesion, each member's outcome and
open flags, and the flags raised."""

from __future__ import annotations

import pandas as pd
from flask_babel import gettext as _

from rom.analytics.columns import MEMBER
from rom.analytics.panel import empty_panel
from rom.clock import organisation_today
from rom.flag_reasons import done_text, kind_text
from rom.frames import report_inputs
from rom.i18n import reader_language
from rom.instruments import phq9_total
from rom.labels import (
    FLAG_STATUS_LABELS,
    FORMAT_LABELS,
    KIND_LABELS,
    LEAVE_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    label,
    words,
)
from rom.models import Group
from rom.reports import charts
from rom.reports.render import page_header, render_pdf
from rom.reports.summary import group_course, member_rows, outcome_per_member
from rom.services.courses import expected_course_today, expected_scores


def group_report(group: Group) -> bytes:
    language = reader_language()
    inputs = report_inputs([group.id])
    panel = inputs.panel
    course = group_course(panel) if len(panel) else group_course(empty_panel())
    scale = phq9_total()
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
        **page_header(
            _(
                "%(group)s · tot en met %(day)s",
                group=group.name,
                day=f"{organisation_today():%d-%m-%Y}",
            )
        ),
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
        cutoff=phq9_total().norms.cutoff,
    )

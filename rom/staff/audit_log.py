"""The audit log for administrators: search by who, what, subject and period; export as CSV
(the export is itself audited)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import make_response, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.wrappers import Response

from rom.access import staff_view
from rom.audit import audited_read
from rom.extensions import db
from rom.models import AuditEvent, Role, StaffUser
from rom.spreadsheet_cells import neutralised
from rom.staff import bp
from rom.staff.audit_labels import ACTIONS, SUBJECTS

LIMIT = 500  # rows a page
COLUMNS = ("at", "actor", "action", "subject_type", "subject_id", "address", "detail")


def _query() -> tuple[sa.Select, dict[str, str], str | None]:
    """The filtered query from the request's arguments, the arguments, and a problem."""
    args = {
        k: request.args.get(k, "").strip() for k in ("actor", "action", "subject", "from", "to")
    }
    query = (
        sa.select(AuditEvent, StaffUser.email)
        .outerjoin(StaffUser, AuditEvent.actor_id == StaffUser.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if args["actor"]:
        query = query.where(StaffUser.email.contains(args["actor"].lower()))
    if args["action"]:
        query = query.where(AuditEvent.action == args["action"])
    if args["subject"]:
        query = query.where(AuditEvent.subject_type == args["subject"])
    try:
        if args["from"]:
            query = query.where(
                AuditEvent.at
                >= datetime.combine(date.fromisoformat(args["from"]), datetime.min.time())
            )
        if args["to"]:
            end = datetime.combine(date.fromisoformat(args["to"]), datetime.min.time())
            query = query.where(AuditEvent.at < end + timedelta(days=1))
    except ValueError:
        return query, args, _("Datums als JJJJ-MM-DD.")
    return query, args, None


def _search(args: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in args.items() if v}


@bp.get("/audit")
@staff_view(Role.ADMIN)
def audit_log() -> tuple[str, int]:
    query, args, problem = _query()
    before = request.args.get("before", type=int)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    rows = [] if problem else db.session.execute(query.limit(LIMIT + 1)).all()
    older = rows[LIMIT - 1][0].id if len(rows) > LIMIT else None  # a page further back
    rows = rows[:LIMIT]
    audited_read("view", "audit_log", None, search=_search(args), before=before)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    subjects = db.session.scalars(
        sa.select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
    ).all()
    return render_template(
        "staff/audit.html",
        rows=rows,
        args=args,
        problem=problem,
        actions=actions,
        subjects=subjects,
        limit=LIMIT,
        older=older,
        search=_search(args),
        audit_action=lambda code: _words(ACTIONS, code),
        audit_subject=lambda code: _words(SUBJECTS, code),
    ), (400 if problem else 200)


def _words(table: dict, code: str) -> Markup:
    """The code's words, or the code itself marked as code."""
    if code in table:
        return Markup.escape(str(table[code]))
    return Markup("<code>%s</code>") % code


@bp.get("/audit.csv")
@staff_view(Role.ADMIN)
def audit_export() -> Response | tuple[str, int]:
    query, args, problem = _query()
    if problem:
        return render_template("staff/refused.html", message=problem), 400
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    count = 0
    for event, email in db.session.execute(query):
        cells = [
            event.at.isoformat(),
            email or event.actor_kind,
            event.action,
            event.subject_type,
            event.subject_id or "",
            event.address or "",
            json.dumps(event.detail or {}, ensure_ascii=False, sort_keys=True),
        ]
        writer.writerow([neutralised(cell) for cell in cells])
        count += 1
    audited_read(
        "export",
        "audit_log",
        None,
        rows=count,
        search=_search(args),
    )
    response = make_response(buffer.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="kring-audit.csv"'
    return response

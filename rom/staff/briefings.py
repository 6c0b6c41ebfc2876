"""Before and after a session, for its therapists: the briefing (page and one-page PDF) and the
wrap-up on one tablet screen (attendance, and what was done about each flag in the briefing).
Every view is audited; the audit rows also tell how often briefings are opened in time."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import led_group_for, require_role, staff_view
from rom.audit import audited_read, record
from rom.extensions import db
from rom.labels import SEVERITY_LABELS, words
from rom.models import AttendanceStatus, Flag, GroupSession, Role
from rom.reports.render import render_pdf
from rom.services.acknowledgements import acknowledge_flag
from rom.services.attendance import (
    may_take_attendance,
    record_attendance,
    recorded_attendance,
)
from rom.services.briefings import Briefing, briefing
from rom.staff import bp
from rom.staff.filters import localtime
from rom.staff.forms import PlainForm
from rom.transactions import committed

WRAP_UP_ACTIONS = (
    "discussed_in_group",
    "discussed_one_to_one",
    "contact",
    "step_up",
    "step_down",
    "no_action",
)


def _session_of_my_group(session_id: int) -> GroupSession:
    require_role(current_user, Role.THERAPIST)
    session = db.session.get(GroupSession, session_id) or abort(404)
    led_group_for(current_user, session.group_id)  # 404 when it is not the user's group
    return session


def _audit_view(kind: str, brief: Briefing) -> None:
    audited_read(
        "view",
        kind,
        brief.session.id,
        group=brief.group.id,
        flags=[f.flag_id for f in brief.flags],
        members=[m.membership_id for m in brief.members],
    )


@bp.get("/sessions/<int:session_id>/briefing")
@staff_view()
def briefing_page(session_id: int) -> str:
    session = _session_of_my_group(session_id)
    brief = briefing(session, current_user.language)
    _audit_view("briefing", brief)
    return render_template(
        "staff/briefing.html",
        brief=brief,
        severity=words(SEVERITY_LABELS),
        t=words(BRIEFING_TEXTS),
        may_wrap_up=may_take_attendance(session),
    )


PRINTED_NOTE = {  # what a printed briefing says about itself, truthfully; key: with names
    True: _l("vertrouwelijk: bevat voornamen van leden"),
    False: _l("vertrouwelijk, alleen codes"),
}


@bp.get("/sessions/<int:session_id>/briefing.pdf")
@staff_view()
def briefing_pdf(session_id: int) -> Response:
    session = _session_of_my_group(session_id)
    language = current_user.language
    names = current_app.config["PRINTED_MEMBERS"] == "first_names"
    brief = briefing(session, language, with_names=names)
    content = render_pdf(
        "briefing.html",
        footer_note=str(PRINTED_NOTE[names]),
        brief=brief,
        severity=words(SEVERITY_LABELS),
        t=words(BRIEFING_TEXTS),
        lang=language,
        starts=localtime(session.planned_start),
        organisation=current_app.config["ORGANISATION_NAME"],
        period_text=f"{brief.group.name} · {BRIEFING_TEXTS['session']} {session.number}",
    )
    _audit_view("briefing_pdf", brief)
    response = make_response(content)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="kring-briefing-{brief.group.code}-{session.number}.pdf"'
    )
    return response


@bp.route("/sessions/<int:session_id>/wrap-up", methods=["GET", "POST"])
@staff_view()
def wrap_up(session_id: int) -> str | Response:
    session = _session_of_my_group(session_id)
    brief = briefing(session, current_user.language)
    form = PlainForm()
    error = None
    if form.validate_on_submit():
        error = _save_wrap_up(session, brief)
        if error is None:
            flash(_("Sessie %(number)s afgerond en vastgelegd.", number=session.number))
            return redirect(url_for("staff.sessions", group_id=session.group_id))
    else:
        _audit_view("wrap_up", brief)
    return render_template(
        "staff/wrap_up.html",
        brief=brief,
        form=form,
        error=error,
        severity=words(SEVERITY_LABELS),
        t=words(BRIEFING_TEXTS),
        actions=_action_choices(),
        chosen=request.form,
        recorded=recorded_attendance(session),
        may_take=may_take_attendance(session),
    ), (422 if error else 200)


def _save_wrap_up(session: GroupSession, brief: Briefing) -> str | None:
    """Attendance for every member and an action for each chosen flag, all or nothing."""
    statuses = {}
    for member in brief.members:
        value = request.form.get(f"status-{member.membership_id}", "")
        if value not in {s.value for s in AttendanceStatus}:
            return _("Kies voor iedereen aanwezig, afwezig of afgemeld.")
        statuses[member.membership_id] = AttendanceStatus(value)
    chosen = {}
    for item in brief.flags:
        action = request.form.get(f"action-{item.flag_id}", "")
        if action and action not in WRAP_UP_ACTIONS:
            return _("Kies een actie uit de lijst.")
        note = request.form.get(f"note-{item.flag_id}", "").strip()
        if len(note) > 2000:
            return _("Een notitie is hooguit 2000 tekens.")
        if action:
            chosen[item.flag_id] = (action, note)
    with committed() as unit:
        record_attendance(session, statuses, current_user.id)
        for flag_id, (action, note) in chosen.items():
            acknowledge_flag(db.session.get(Flag, flag_id), current_user, action, note)
        record(
            current_user,
            "change",
            "wrap_up",
            session.id,
            members=len(statuses),
            flags={str(k): v[0] for k, v in chosen.items()},
        )
    return unit.reason if unit.refused else None


def _action_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Nog niet")),
        ("discussed_in_group", _("Besproken in de groep")),
        ("discussed_one_to_one", _("Individueel besproken")),
        ("contact", _("Contact gepland")),
        ("step_up", _("Opschalen")),
        ("step_down", _("Afschalen")),
        ("no_action", _("Geen actie")),
    ]


BRIEFING_TEXTS = {  # the briefing's own words, shared by the page, the PDF and the wrap-up
    "title": _l("Briefing"),
    "session": _l("sessie"),
    "attention": _l("Aandacht nodig"),
    "no_flags": _l("Geen open signalen."),
    "suggested": _l("Voorstel"),  # the actions say 'overwegen' themselves
    "group": _l("Groep"),
    "seen": _l("al opgepakt"),
    "not_answered": _l("Vulden de laatste vragenlijst niet in"),
    "everyone_answered": _l("Iedereen die was uitgenodigd vulde de vragenlijst in."),
    "attendance": _l("Aanwezigheid (laatste sessies)"),
    "member": _l("Lid"),
    "joining": _l("Nieuw"),
    "leaving": _l("Laatste sessie"),
    "trend": _l("Groepsklimaat en cohesie (groepsgemiddelden, 0–6)"),
    "no_trend": _l("Nog te weinig metingen voor een verloop."),
    "points": _l("Om in te brengen"),
    "topics": _l("Onderwerpen die leden willen inbrengen"),
    "present": "✓",
    "absent": "✗",
    "excused": _l("a"),  # the first letter of 'afgemeld' / 'excused'
    "unknown": "–",
    "legend": _l("✓ aanwezig · ✗ afwezig · a afgemeld · – onbekend"),
}

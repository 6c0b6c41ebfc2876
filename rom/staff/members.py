"""Members: enrol in a group, end a membership with its reason, and the member page (scores per
instrument over sessions, answers per session, attendance, flags with their history), which is
for the group's therapists only and audited on every view."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.access import (
    known_client,
    led_group_for,
    member_detail_group_ids_for,
    membership_for,
    staff_view,
)
from rom.audit import audited_read, record
from rom.extensions import db
from rom.flag_reasons import action_text, kind_text, reasons_text, state_text
from rom.instruments import library
from rom.models import (
    Attendance,
    Flag,
    Group,
    GroupSession,
    Language,
    LeaveReason,
    Membership,
    Role,
)
from rom.services.briefings import flag_done
from rom.services.enrolment import (
    EnrolmentError,
    NewMember,
    end_membership,
    enrol,
    enrol_known,
)
from rom.services.member_scores import member_scores
from rom.staff import bp
from rom.staff.forms import ContactForm, EndMembershipForm, EnrolForm
from rom.staff.member_answers import member_answers, symptoms_first
from rom.staff.member_course import member_course
from rom.transactions import committed


@bp.route("/groups/<int:group_id>/members/new", methods=["GET", "POST"])
@staff_view(Role.THERAPIST)
def enrol_member(group_id: int) -> str | Response:
    group = led_group_for(current_user, group_id)
    form = EnrolForm()
    if form.validate_on_submit():
        code = form.code.data.strip()
        with committed() as unit:
            membership = (
                _enrol_known(group, code) if form.known_client.data else _enrol_new(group, form)
            )
        if unit.refused:
            form.code.errors = [*form.code.errors, unit.reason]
        else:
            flash(
                _(
                    "%(code)s is lid vanaf sessie %(number)s.",
                    code=code,
                    number=membership.joined_session,
                )
            )
            return redirect(url_for("staff.group", group_id=group.id))
    return render_template("staff/enrol_member.html", form=form, group=group), (
        422 if form.errors else 200
    )


def _enrol_new(group: Group, form: EnrolForm) -> Membership:
    person = NewMember(
        code=form.code.data.strip(),
        first_name=(form.first_name.data or "").strip(),
        email=(form.email.data or "").strip() or None,
        phone=(form.phone.data or "").strip() or None,
        language=Language(form.language.data),
        email_consent=bool(form.email_consent.data),
        sms_consent=bool(form.sms_consent.data),
    )
    membership = enrol(group, person)
    record(current_user, "create", "membership", membership.id, group=group.id)
    return membership


def _enrol_known(group: Group, code: str) -> Membership:
    """Enrol a client from one of the user's own groups; any other code is refused, and the
    attempt is audited, whether or not such a client exists elsewhere."""
    client = known_client(code, member_detail_group_ids_for(current_user))
    if client is None:
        record(current_user, "refused", "membership", None, group=group.id, reason="unknown_client")
        db.session.commit()
        raise EnrolmentError(_("In uw groepen is geen cliënt met deze code."))
    membership = enrol_known(group, client)
    record(
        current_user, "enrol_known", "membership", membership.id, group=group.id, client=client.id
    )
    return membership


@bp.route("/members/<int:membership_id>/end", methods=["GET", "POST"])
@staff_view(Role.THERAPIST)
def end_member(membership_id: int) -> str | Response:
    membership = membership_for(current_user, membership_id)
    form = EndMembershipForm()
    if form.validate_on_submit():
        with committed() as unit:
            withdrawn = end_membership(
                membership, LeaveReason(form.reason.data), form.last_session.data
            )
            record(current_user, "change", "membership", membership.id, reason=form.reason.data)
        if unit.refused:
            form.last_session.errors = [*form.last_session.errors, unit.reason]
        else:
            flash(
                _(
                    "Lidmaatschap beëindigd; %(count)s wachtende berichten ingetrokken.",
                    count=withdrawn,
                )
            )
            return redirect(url_for("staff.group", group_id=membership.group_id))
    return render_template("staff/end_membership.html", form=form, membership=membership), (
        422 if form.errors else 200
    )


CONTACT_FIELDS = ("first_name", "email", "phone", "language", "email_consent", "sms_consent")


@bp.route("/members/<int:membership_id>/contact", methods=["GET", "POST"])
@staff_view(Role.THERAPIST)
def member_contact(membership_id: int) -> str | Response | tuple[str, int]:
    """The member's own therapists correct name, contact details, language and consent; the
    audit names which fields changed, never their values."""
    membership = membership_for(current_user, membership_id)
    client = membership.client
    form = ContactForm()  # a post is read on its own: what it leaves out is not filled in
    if not form.is_submitted():
        form = ContactForm(obj=client)
        form.language.data = client.language.value
    if form.validate_on_submit():
        new = {
            "first_name": form.first_name.data.strip(),
            "email": (form.email.data or "").strip() or None,
            "phone": (form.phone.data or "").strip() or None,
            "language": Language(form.language.data),
            "email_consent": bool(form.email_consent.data),
            "sms_consent": bool(form.sms_consent.data),
        }
        changed = sorted(name for name in CONTACT_FIELDS if getattr(client, name) != new[name])
        for name, value in new.items():
            setattr(client, name, value)
        record(current_user, "change", "client_contact", client.id, fields=changed)
        db.session.commit()
        flash(_("Vastgelegd."))
        return redirect(url_for("staff.member", membership_id=membership.id))
    audited_read("view", "client_contact", client.id)
    return render_template("staff/member_contact.html", form=form, membership=membership), (
        422 if form.errors else 200
    )


@bp.get("/members/<int:membership_id>")
@staff_view(Role.THERAPIST)
def member(membership_id: int) -> str:
    membership = membership_for(current_user, membership_id)
    audited_read("view", "member", membership.id)
    language = current_user.language
    titles = {i.id: i.title.get(language, i.id) for i in library().instruments.values()}
    scale_titles = {
        i.id: {scale.id: scale.title.get(language, scale.id) for scale in i.scales}
        for i in library().instruments.values()
    }
    scores = _scores(membership.id)
    return render_template(
        "staff/member.html",
        membership=membership,
        scores=scores,
        course=member_course(membership.joined_session, _phq9_totals(scores)),
        answers=member_answers(membership.id, language),
        attendance=_attendance(membership.id),
        flags=db.session.scalars(
            sa.select(Flag)
            .where(Flag.membership_id == membership.id)
            .order_by(Flag.raised_at.desc())
        ).all(),
        titles=titles,
        scale_titles=scale_titles,
        kind_text=lambda k: kind_text(k, current_user.language),
        reasons_text=lambda r: reasons_text(r, current_user.language),
        action_text=lambda a: action_text(a, current_user.language),
        state_text=lambda state: state_text(state, current_user.language),
        done=lambda flag: flag_done(flag, current_user.language),
    )


def _scores(membership_id: int) -> dict[str, tuple[list[str], list[tuple[int, dict]]]]:
    """Per instrument: its scales, and per session the value of each scale."""
    table: dict[str, dict[int, dict[str, float | None]]] = {}
    for row in member_scores([membership_id]):
        table.setdefault(row.instrument, {}).setdefault(row.session, {})[row.scale] = row.value
    return {
        instrument: (
            sorted({scale for values in sessions.values() for scale in values}),
            sorted(sessions.items()),
        )
        for instrument, sessions in sorted(table.items(), key=lambda pair: symptoms_first(pair[0]))
    }


def _phq9_totals(
    scores: dict[str, tuple[list[str], list[tuple[int, dict]]]],
) -> list[tuple[int, float | None]]:
    _scales, rows = scores.get("phq9", ([], []))
    return [(number, values.get("total")) for number, values in rows]


def _attendance(membership_id: int) -> list[tuple[int, str]]:
    return [
        (number, status.value)
        for number, status in db.session.execute(
            sa.select(GroupSession.number, Attendance.status)
            .join(GroupSession, Attendance.session_id == GroupSession.id)
            .where(Attendance.membership_id == membership_id)
            .order_by(GroupSession.number)
        )
    ]

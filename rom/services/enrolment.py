"""Members join and leave groups: closed groups take members at the start only, slow-open
groups at any session; ending a membership records its reason and cancels what was still
waiting for that member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from rom.clock import session_start
from rom.extensions import db
from rom.models import (
    Client,
    Group,
    GroupFormat,
    GroupSession,
    Invitation,
    Language,
    LeaveReason,
    Membership,
    SessionStatus,
    is_member_code,
)
from rom.refusals import Refusal
from rom.services.expiry import withdraw_invitations


class EnrolmentError(Refusal):
    """An enrolment or ending that cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class NewMember:
    code: str  # the pseudonymous code used everywhere outside the member's own page
    first_name: str
    email: str | None
    phone: str | None
    language: Language
    email_consent: bool = True
    sms_consent: bool = True


def first_open_session(group: Group) -> int:
    """The number of the first session not yet held (where a new member would start)."""
    held = db.session.scalar(
        sa.select(sa.func.max(GroupSession.number)).where(
            GroupSession.group_id == group.id, GroupSession.status == SessionStatus.HELD
        )
    )
    return (held or 0) + 1


def session_to_join(group: Group, from_day: date) -> int:
    """The first session a newcomer can still come to from `from_day` on: not held, not
    cancelled, not in the past. A group whose remaining sessions are all past or cancelled has
    none (planned_sessions + 1); one without planned sessions starts at its first open one."""
    first_open = first_open_session(group)
    later = sa.select(GroupSession).where(
        GroupSession.group_id == group.id, GroupSession.number >= first_open
    )
    day_starts = session_start(from_day, None, current_app.config["TIMEZONE"])
    coming = db.session.scalar(
        later.with_only_columns(sa.func.min(GroupSession.number)).where(
            GroupSession.status != SessionStatus.CANCELLED, GroupSession.planned_start >= day_starts
        )
    )
    if coming is not None:
        return coming
    if db.session.scalar(later.with_only_columns(GroupSession.id).limit(1)) is not None:
        return group.planned_sessions + 1
    return first_open


def enrol(group: Group, person: NewMember, today: date | None = None) -> Membership:
    """Enrol a new client under a code no one uses yet. A code already in use never reaches
    that client: a known client is enrolled with `enrol_known`, after the caller checked that
    whoever asks may see them."""
    if not person.first_name:
        raise EnrolmentError(_l("Vul de voornaam in."))
    if not (person.email or person.phone):
        raise EnrolmentError(
            _l("Vul een e-mailadres of mobiel nummer in: daar komen de vragenlijsten.")
        )
    refuse_taken_code(person.code)
    client = Client(
        code=person.code,
        first_name=person.first_name,
        email=person.email or None,
        phone=person.phone or None,
        language=person.language,
        email_consent=person.email_consent,
        sms_consent=person.sms_consent,
    )  # stored with its membership (cascade), after enrol_known's checks: a refusal adds nothing
    return enrol_known(group, client, today)


def enrol_known(
    group: Group, client: Client, today: date | None = None, from_day: date | None = None
) -> Membership:
    """Enrol a client Kring already knows, with the contact details it has for them; with
    `from_day`, at the first session still to come from that day (see session_to_join)."""
    joined = joinable_session(group, from_day)
    if client.id is not None and db.session.scalar(
        sa.select(Membership.id).where(
            Membership.client_id == client.id,
            Membership.group_id == group.id,
            Membership.left_session.is_(None),
        )
    ):
        raise EnrolmentError(_l("Deze cliënt is al lid van de groep."))
    if client.erased_at is not None:
        raise EnrolmentError(_l("De gegevens van deze cliënt zijn gewist."))
    membership = Membership(client=client, group=group, joined_session=joined, joined_on=today)
    db.session.add(membership)
    db.session.flush()
    return membership


def joinable_session(group: Group, from_day: date | None = None) -> int:
    """The session a new member would join at; refused when the group takes no one now."""
    joined = first_open_session(group) if from_day is None else session_to_join(group, from_day)
    if group.format == GroupFormat.CLOSED and joined > 1:
        raise EnrolmentError(
            _l("Deze groep is gesloten en al begonnen: nieuwe leden alleen bij de start.")
        )
    if joined > group.planned_sessions:
        raise EnrolmentError(_l("Deze groep heeft geen sessies meer."))
    return joined


def refuse_taken_code(code: str) -> None:
    """Refuse a code that is not a member code, or that another client already has."""
    if not is_member_code(code):
        raise EnrolmentError(
            _l(
                "Een code bestaat uit letters, cijfers, '_', '.' en '-' (hoogstens 40) en begint "
                "met een letter of cijfer."
            )
        )
    if db.session.scalar(sa.select(Client.id).where(Client.code == code)) is not None:
        raise EnrolmentError(
            _l(
                "Deze code is al in gebruik. Kies een andere code, of schrijf een cliënt die u al "
                "kent in als bekende cliënt."
            )
        )


def end_membership(
    membership: Membership, reason: LeaveReason, last_session: int, today: date | None = None
) -> int:
    """End at `last_session` (the last session they belonged to) with a reason; invitations for
    later sessions are cancelled. Returns how many waiting messages were cancelled."""
    if membership.left_session is not None:
        raise EnrolmentError(_l("Dit lidmaatschap is al beëindigd."))
    if last_session < membership.joined_session:
        raise EnrolmentError(_l("De laatste sessie ligt vóór de eerste."))
    membership.left_session = last_session
    membership.leave_reason = LeaveReason(reason)
    membership.left_on = today
    later = db.session.scalars(
        sa.select(Invitation)
        .join(GroupSession, Invitation.session_id == GroupSession.id)
        .where(Invitation.membership_id == membership.id, GroupSession.number > last_session)
    ).all()
    return withdraw_invitations(later)

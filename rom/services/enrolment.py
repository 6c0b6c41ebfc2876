"""Members join and leave groups: closed groups take members at the start only, slow-open
groups at any session; ending a membership records its reason and cancels what was still
waiting for that member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

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
)
from rom.services.expiry import withdraw_invitations


class EnrolmentError(ValueError):
    """An enrolment or ending that cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class NewMember:
    code: str  # the pseudonymous code used everywhere outside the member's own page
    first_name: str
    email: str | None
    phone: str | None
    language: Language


def first_open_session(group: Group) -> int:
    """The number of the first session not yet held (where a new member would start)."""
    held = db.session.scalar(
        sa.select(sa.func.max(GroupSession.number)).where(
            GroupSession.group_id == group.id, GroupSession.status == SessionStatus.HELD
        )
    )
    return (held or 0) + 1


def enrol(group: Group, person: NewMember, today: date | None = None) -> Membership:
    if not (person.email or person.phone):
        raise EnrolmentError(
            "Vul een e-mailadres of mobiel nummer in: daar komen de vragenlijsten. / Enter an "
            "e-mail address or a mobile number: questionnaires are sent there."
        )
    joined = first_open_session(group)
    if group.format == GroupFormat.CLOSED and joined > 1:
        raise EnrolmentError(
            "Deze groep is gesloten en al begonnen: nieuwe leden alleen bij de start. / This "
            "closed group has started: members join at the start only."
        )
    if joined > group.planned_sessions:
        raise EnrolmentError(
            "Deze groep heeft geen sessies meer. / This group has no sessions left."
        )
    client = db.session.scalar(sa.select(Client).where(Client.code == person.code))
    if client is None:
        client = Client(code=person.code)
        db.session.add(client)
    elif db.session.scalar(
        sa.select(Membership.id).where(
            Membership.client_id == client.id,
            Membership.group_id == group.id,
            Membership.left_session.is_(None),
        )
    ):
        raise EnrolmentError("Deze cliënt is al lid van de groep. / Already a member of the group.")
    client.first_name = person.first_name
    client.email = person.email or None
    client.phone = person.phone or None
    client.language = person.language
    membership = Membership(client=client, group=group, joined_session=joined, joined_on=today)
    db.session.add(membership)
    db.session.flush()
    return membership


def end_membership(
    membership: Membership, reason: LeaveReason, last_session: int, today: date | None = None
) -> int:
    """End at `last_session` (the last session they belonged to) with a reason; invitations for
    later sessions are cancelled. Returns how many waiting messages were cancelled."""
    if membership.left_session is not None:
        raise EnrolmentError("Dit lidmaatschap is al beëindigd. / This membership has ended.")
    if last_session < membership.joined_session:
        raise EnrolmentError(
            "De laatste sessie ligt vóór de eerste. / The last session lies before the first."
        )
    membership.left_session = last_session
    membership.leave_reason = LeaveReason(reason)
    membership.left_on = today
    later = db.session.scalars(
        sa.select(Invitation)
        .join(GroupSession, Invitation.session_id == GroupSession.id)
        .where(Invitation.membership_id == membership.id, GroupSession.number > last_session)
    ).all()
    return withdraw_invitations(later)

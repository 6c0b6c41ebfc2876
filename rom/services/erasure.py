"""A member's data rights (AVG/GDPR): all their data exported (JSON, and their questionnaire
responses as FHIR QuestionnaireResponses), or erased: contact details and name removed while the
answers stay under the pseudonymous code for aggregate figures, or everything removed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from questionnaires import score
from questionnaires.fhir import questionnaire_response, score_observations
from rom.extensions import db
from rom.instruments import fhir_base, library
from rom.models import (
    Attendance,
    Client,
    Flag,
    GroupSession,
    Invitation,
    Membership,
    OutboxMessage,
    OutboxStatus,
    Referral,
    Response,
    Suitability,
    utcnow,
)
from rom.services.expiry import withdraw_invitations

ERASED = "[gewist]"


def member_export(client: Client) -> dict[str, Any]:
    """Everything Kring holds about this client, as JSON-ready data."""
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.client_id == client.id).order_by(Membership.id)
    ).all()
    return {
        "client": {
            "code": client.code,
            "first_name": client.first_name,
            "email": client.email,
            "phone": client.phone,
            "language": client.language.value,
            "created_at": client.created_at.isoformat(),
            "erased_at": client.erased_at.isoformat() if client.erased_at else None,
        },
        "memberships": [_membership(m) for m in memberships],
        "referrals": [_referral(r) for r in _referrals(client)],
    }


def _membership(membership: Membership) -> dict[str, Any]:
    responses = _responses(membership.id)
    return {
        "group": {"code": membership.group.code, "name": membership.group.name},
        "joined_session": membership.joined_session,
        "left_session": membership.left_session,
        "leave_reason": membership.leave_reason.value if membership.leave_reason else None,
        "attendance": [
            {"session": number, "status": status.value}
            for number, status in db.session.execute(
                sa.select(GroupSession.number, Attendance.status)
                .join(GroupSession, Attendance.session_id == GroupSession.id)
                .where(Attendance.membership_id == membership.id)
                .order_by(GroupSession.number)
            )
        ],
        "responses": [
            {
                "session": number,
                "instrument": response.instrument_id,
                "version": response.instrument_version,
                "completed_at": response.completed_at.isoformat(),
                "answers": {str(a.item): a.value for a in response.answers},
                "scores": {s.scale: s.value for s in response.scores},
            }
            for response, number in responses
        ],
        "topics": [
            {"session": number, "topic": topic}
            for number, topic in db.session.execute(
                sa.select(GroupSession.number, Invitation.topic)
                .join(GroupSession, Invitation.session_id == GroupSession.id)
                .where(Invitation.membership_id == membership.id, Invitation.topic.is_not(None))
                .order_by(GroupSession.number)
            )
        ],
        "flags": [
            {
                "kind": flag.kind.value,
                "severity": flag.severity.value,
                "raised_session": flag.raised_session,
                "status": flag.status.value,
                "reasons": flag.reasons,
                "action": flag.action.value if flag.action else None,
                "note": flag.note,
            }
            for flag in db.session.scalars(
                sa.select(Flag).where(Flag.membership_id == membership.id).order_by(Flag.id)
            )
        ],
    }


def _responses(membership_id: int) -> list[tuple[Response, int]]:
    return db.session.execute(
        sa.select(Response, GroupSession.number)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .where(Response.membership_id == membership_id)
        .order_by(GroupSession.number, Response.instrument_id)
    ).all()


def member_fhir_bundle(client: Client) -> dict[str, Any]:
    """The client's questionnaire responses as a FHIR R4 collection Bundle."""
    entries = []
    for membership in db.session.scalars(
        sa.select(Membership).where(Membership.client_id == client.id)
    ):
        for response, _ in _responses(membership.id):
            entries += bundle_entries(response, client.code)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def bundle_entries(response: Response, member_code: str) -> list[dict[str, Any]]:
    """One stored response as FHIR Bundle entries: the scored QuestionnaireResponse and, for an
    instrument with standard codes, its scores as Observations."""
    instrument = library()[response.instrument_id]
    answers = {a.item: a.value for a in response.answers}
    scores = score(instrument, answers)
    about = {
        "base": fhir_base(),
        "response_id": f"kring-response-{response.id}",
        "member_code": member_code,
        "authored": response.completed_at,
    }
    resources = [
        questionnaire_response(instrument, answers, scores=scores, **about),
        *score_observations(instrument, scores, **about),
    ]
    return [{"resource": resource} for resource in resources]


def erase_contact_details(client: Client) -> None:
    """Remove name and contact details everywhere (the client, messages to them, drafts);
    answers and scores stay under the pseudonymous code. The caller commits."""
    addresses = {a for a in (client.email, client.phone) if a}
    client.first_name = None
    client.email = None
    client.phone = None
    client.erased_at = utcnow()
    invitations = _invitations(client)
    for invitation in invitations:
        invitation.draft = {}
    withdraw_invitations(invitations)
    for message in _messages(invitations, addresses):
        if message.status == OutboxStatus.PENDING:
            message.status = OutboxStatus.CANCELLED
        message.recipient = ERASED
        message.body = ERASED


def erase_entirely(client: Client) -> None:
    """Remove the client and everything recorded about them. The caller commits."""
    addresses = {a for a in (client.email, client.phone) if a}
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.client_id == client.id)
    ).all()
    ids = [m.id for m in memberships]
    invitations = _invitations(client)
    alerts = [
        OutboxMessage.dedupe_key.like(f"{kind}:{i.id}:%")
        for i in invitations
        for kind in ("critical-alert", "intake-alert")
    ]
    for message in _messages(invitations, addresses, alerts):
        db.session.delete(message)
    for response in db.session.scalars(sa.select(Response).where(Response.membership_id.in_(ids))):
        db.session.delete(response)
    db.session.flush()
    for model in (Attendance, Flag, Invitation):
        db.session.execute(sa.delete(model).where(model.membership_id.in_(ids)))
    referrals = [r.id for r in _referrals(client)]
    db.session.execute(sa.delete(Invitation).where(Invitation.referral_id.in_(referrals)))
    db.session.execute(sa.delete(Suitability).where(Suitability.referral_id.in_(referrals)))
    db.session.execute(sa.delete(Referral).where(Referral.id.in_(referrals)))
    for membership in memberships:
        db.session.delete(membership)
    db.session.flush()
    db.session.delete(client)


def _invitations(client: Client) -> list[Invitation]:
    """The client's links: for their groups' sessions and for their intake."""
    return db.session.scalars(
        sa.select(Invitation)
        .outerjoin(Membership, Invitation.membership_id == Membership.id)
        .outerjoin(Referral, Invitation.referral_id == Referral.id)
        .where(sa.or_(Membership.client_id == client.id, Referral.client_id == client.id))
    ).all()


def _referrals(client: Client) -> list[Referral]:
    return db.session.scalars(
        sa.select(Referral).where(Referral.client_id == client.id).order_by(Referral.id)
    ).all()


def _referral(referral: Referral) -> dict[str, Any]:
    assessment = referral.assessment
    return {
        "referred_on": referral.referred_on.isoformat(),
        "kind": referral.kind.value if referral.kind else None,
        "language": referral.language.value,
        "availability": referral.availability,
        "referrer": referral.referrer,
        "notes": referral.notes,
        "status": referral.status.value,
        "intake": referral.intake,
        "suitability": None
        if assessment is None
        else {
            "factors": assessment.factors,
            "contra_indications": assessment.contra_indications,
            "decision": assessment.decision.value,
            "reason": assessment.reason,
        },
    }


def _messages(
    invitations: list[Invitation], addresses: set[str], also: list | None = None
) -> list[OutboxMessage]:
    """Messages to the client or about their invitations (and any `also` conditions)."""
    return db.session.scalars(
        sa.select(OutboxMessage).where(
            sa.or_(
                OutboxMessage.invitation_id.in_([i.id for i in invitations]),
                OutboxMessage.recipient.in_(addresses),
                *(also or []),
            )
        )
    ).all()

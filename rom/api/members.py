"""A member's scores and change, and their responses as FHIR, by pseudonymous code."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict

import sqlalchemy as sa
from flask import stream_with_context
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from questionnaires.change import classify_change, reliable_change_index
from rom.access import known_client
from rom.api.auth import (
    audit,
    audit_refusal,
    group_or_404,
    idempotent,
    identify,
    member_groups,
    requires,
    visible_groups,
)
from rom.api.fhir_format import fhir_media_type, fhir_stream
from rom.extensions import db
from rom.instruments import phq9_total
from rom.models import (
    Client,
    Group,
    Language,
    LeaveReason,
    Membership,
    Response,
)
from rom.schemas.api import EndMembership, MemberScores, MembershipSchema, NewMembership
from rom.services.enrolment import NewMember, end_membership, enrol, enrol_known
from rom.services.erasure import bundle_entries
from rom.services.member_scores import member_scores

blp = Blueprint("api_members", __name__, url_prefix="/api/v1", description="Members")
blp.before_request(identify)
blp.after_request(audit)


def _memberships(code: str) -> list[Membership]:
    """The member's memberships in the caller's groups (404 when there are none)."""
    group_ids = member_groups().with_only_columns(Group.id)
    found = db.session.scalars(
        sa.select(Membership)
        .join(Client)
        .where(Client.code == code, Membership.group_id.in_(group_ids))
        .order_by(Membership.id)
    ).all()
    if not found:
        abort(404, message="No such member for this caller.")
    return list(found)


@blp.route("/members/<code>/scores")
class Scores(MethodView):
    @blp.response(200, MemberScores)
    @requires("scores:read")
    def get(self, code: str):
        """Scale scores per session, and the PHQ-9 change from the first to the last score."""
        scores = [asdict(row) for row in member_scores([m.id for m in _memberships(code)])]
        phq = [r["value"] for r in scores if (r["instrument"], r["scale"]) == ("phq9", "total")]
        phq = [v for v in phq if v is not None]
        change = {}
        if len(phq) >= 2:
            scale = phq9_total()
            change = {
                "first": phq[0],
                "last": phq[-1],
                "rci": round(float(reliable_change_index(phq[0], phq[-1], scale)), 2),
                "class": classify_change(phq[0], phq[-1], scale),
            }
        return {"member": code, "scores": scores, "change": change}


@blp.route("/members/<code>/responses")
class Responses(MethodView):
    @blp.response(200, content_type="application/fhir+json")
    @requires("responses:read")
    def get(self, code: str):
        """The member's questionnaire responses as a FHIR R4 Bundle of QuestionnaireResponses
        and their standard-coded scores as Observations, streamed entry by entry (a long course
        does not sit in memory)."""
        ids = [m.id for m in _memberships(code)]
        media_type = fhir_media_type()
        response_ids = list(
            db.session.scalars(
                sa.select(Response.id).where(Response.membership_id.in_(ids)).order_by(Response.id)
            )
        )
        entries = (
            entry
            for rid in response_ids
            for entry in bundle_entries(db.session.get(Response, rid), code)
        )
        return fhir_stream(stream_with_context(_bundle(entries)), media_type)


def _bundle(entries: Iterator[dict]) -> Iterator[str]:
    yield '{"resourceType": "Bundle", "type": "collection", "entry": ['
    for number, entry in enumerate(entries):
        yield ("," if number else "") + json.dumps(entry, ensure_ascii=False)
    yield "]}"


def _membership(membership: Membership) -> dict:
    return {
        "member": membership.client.code,
        "group": membership.group_id,
        "joined_session": membership.joined_session,
        "left_session": membership.left_session,
        "leave_reason": membership.leave_reason.value if membership.leave_reason else None,
    }


@blp.route("/groups/<int(max=2147483647):group_id>/memberships")
class Memberships(MethodView):
    @blp.arguments(NewMembership)
    @blp.response(201, MembershipSchema)
    @requires("memberships:write")
    @idempotent
    def post(self, payload: dict, group_id: int):
        """Enrol a member (closed groups at the start only, slow-open at the next session)."""
        group = group_or_404(group_id)
        membership = (
            _enrol_known(group, payload["code"])
            if payload["known_client"]
            else enrol(group, _new_member(payload))
        )
        return _membership(membership), 201


def _new_member(payload: dict) -> NewMember:
    return NewMember(
        code=payload["code"],
        first_name=payload["first_name"].strip(),
        email=payload["email"],
        phone=payload["phone"],
        language=Language(payload["language"]),
    )


def _enrol_known(group: Group, code: str) -> Membership:
    """A known client, only from the groups this caller may see; any other code is refused
    and the refusal audited."""
    client = known_client(code, visible_groups().with_only_columns(Group.id))
    if client is None:
        db.session.rollback()
        audit_refusal(404, group=group.id, reason="unknown_client")
        abort(404, message="None of your groups has a client with this code.")
    return enrol_known(group, client)


@blp.route("/groups/<int(max=2147483647):group_id>/memberships/<code>/end")
class EndOfMembership(MethodView):
    @blp.arguments(EndMembership)
    @blp.response(200, MembershipSchema)
    @requires("memberships:write")
    @idempotent
    def post(self, payload: dict, group_id: int, code: str):
        """End the member's current membership of this group, with its reason."""
        group = group_or_404(group_id)
        membership = db.session.scalar(
            sa.select(Membership)
            .join(Client)
            .where(
                Membership.group_id == group.id,
                Client.code == code,
                Membership.left_session.is_(None),
            )
        )
        if membership is None:
            abort(404, message="No current membership of this member in this group.")
        end_membership(membership, LeaveReason(payload["reason"]), payload["last_session"])
        return _membership(membership), 200

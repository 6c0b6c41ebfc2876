"""Groups, sessions, attendance, flags and instruments."""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from questionnaires.fhir import questionnaire
from rom.api.auth import (
    audit,
    group_or_404,
    idempotent,
    identify,
    requires,
    visible_flags_of,
    visible_groups,
)
from rom.api.fhir_format import fhir_response
from rom.extensions import db
from rom.instruments import fhir_base, library
from rom.models import AttendanceStatus, Client, Flag, FlagStatus, Group, GroupSession, Membership
from rom.schemas.api import (
    AttendancePayload,
    AttendanceResult,
    FlagPage,
    GroupPage,
    NewSession,
    PageArgs,
    SessionSchema,
)
from rom.services.attendance import record_attendance
from rom.services.groups import add_session, cancel_session, move_session

blp = Blueprint("api", __name__, url_prefix="/api/v1", description="Groups, sessions, flags")
blp.before_request(identify)
blp.after_request(audit)


def _group(group: Group) -> dict:
    return {
        "id": group.id,
        "code": group.code,
        "name": group.name,
        "kind": group.kind.value,
        "format": group.format.value,
        "planned_sessions": group.planned_sessions,
    }


def _session(session: GroupSession) -> dict:
    return {
        "id": session.id,
        "number": session.number,
        "start": session.planned_start.replace(tzinfo=UTC),  # stored as naive UTC
        "status": session.status.value,
    }


@blp.route("/groups")
class Groups(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, GroupPage)
    @requires("groups:read")
    def get(self, page: dict):
        """The caller's groups, by id, a page at a time (a stable cursor: `after`)."""
        rows = db.session.scalars(
            visible_groups().where(Group.id > page["after"]).limit(page["limit"] + 1)
        ).all()
        more = len(rows) > page["limit"]
        rows = rows[: page["limit"]]
        return {"items": [_group(g) for g in rows], "next": rows[-1].id if more else None}


@blp.route("/groups/<int(max=2147483647):group_id>/sessions")
class Sessions(MethodView):
    @blp.response(200, SessionSchema(many=True))
    @requires("groups:read")
    def get(self, group_id: int):
        """The group's sessions in order."""
        group = group_or_404(group_id)
        return [
            _session(s)
            for s in db.session.scalars(
                sa.select(GroupSession)
                .where(GroupSession.group_id == group.id)
                .order_by(GroupSession.number)
            )
        ]

    @blp.arguments(NewSession)
    @blp.response(201, SessionSchema)
    @requires("sessions:write")
    @idempotent
    def post(self, payload: dict, group_id: int):
        """Plan an extra session after the last one."""
        group = group_or_404(group_id)
        session = add_session(group, payload["date"], payload["time"])
        db.session.flush()
        return _session(session), 201


def _session_or_404(session_id: int) -> GroupSession:
    session = db.session.get(GroupSession, session_id)
    if session is None:
        abort(404, message="No such session for this caller.")
    group_or_404(session.group_id)
    return session


@blp.route("/sessions/<int(max=2147483647):session_id>")
class MoveSession(MethodView):
    @blp.arguments(NewSession)
    @blp.response(200, SessionSchema)
    @requires("sessions:write")
    @idempotent
    def patch(self, payload: dict, session_id: int):
        """Move a planned session that has no invitations yet (409 otherwise)."""
        session = _session_or_404(session_id)
        move_session(session, payload["date"], payload["time"])
        return _session(session), 200


@blp.route("/sessions/<int(max=2147483647):session_id>/cancel")
class CancelSession(MethodView):
    @blp.response(200, SessionSchema)
    @requires("sessions:write")
    @idempotent
    def post(self, session_id: int):
        """Cancel a planned session; its waiting invitations are withdrawn."""
        session = _session_or_404(session_id)
        cancel_session(session)
        return _session(session), 200


@blp.route("/sessions/<int(max=2147483647):session_id>/attendance")
class SessionAttendance(MethodView):
    @blp.arguments(AttendancePayload)
    @blp.response(200, AttendanceResult)
    @requires("attendance:write")
    @idempotent
    def put(self, payload: dict, session_id: int):
        """Register the attendance of a whole session in one call (members by code)."""
        session = _session_or_404(session_id)
        codes = [row["member"] for row in payload["attendance"]]
        memberships = dict(
            db.session.execute(
                sa.select(Client.code, Membership.id)
                .join(Membership, Membership.client_id == Client.id)
                .where(Membership.group_id == session.group_id, Client.code.in_(codes))
            ).all()
        )
        unknown = sorted(set(codes) - set(memberships))
        if unknown or len(set(codes)) != len(codes):
            abort(
                409,
                message="Every member once, and only members of this group.",
                errors={"attendance": {"unknown_or_repeated": unknown or codes}},
            )
        statuses = {
            memberships[row["member"]]: AttendanceStatus(row["status"])
            for row in payload["attendance"]
        }
        record_attendance(session, statuses)
        return {"session": session.id, "recorded": len(statuses), "status": "held"}, 200


@blp.route("/flags")
class Flags(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, FlagPage)
    @requires("flags:read")
    def get(self, page: dict):
        """Open flags of the caller's groups, by id, a page at a time (cursor: `after`)."""
        group_ids = visible_groups().with_only_columns(Group.id)
        rows = db.session.execute(
            sa.select(Flag, Group.code, Client.code)
            .join(Group, Flag.group_id == Group.id)
            .outerjoin(Membership, Flag.membership_id == Membership.id)
            .outerjoin(Client, Membership.client_id == Client.id)
            .where(
                Flag.status == FlagStatus.OPEN,
                visible_flags_of(group_ids),
                Flag.id > page["after"],
            )
            .order_by(Flag.id)
            .limit(page["limit"] + 1)
        ).all()
        more = len(rows) > page["limit"]
        rows = rows[: page["limit"]]
        items = [
            {
                "id": flag.id,
                "group": group,
                "member": member,
                "kind": flag.kind.value,
                "severity": flag.severity.value,
                "raised_session": flag.raised_session,
                "last_session": flag.last_session,
                "reasons": flag.reasons,
                "suggested_action": flag.suggested_action,
                "acknowledged": flag.acknowledged_at is not None,
            }
            for flag, group, member in rows
        ]
        return {"items": items, "next": rows[-1][0].id if more else None}


@blp.route("/instruments/<instrument_id>")
class Instruments(MethodView):
    @blp.response(200, content_type="application/fhir+json")
    def get(self, instrument_id: str) -> Response:
        """An instrument by Kring's id (`gcq_s`) as a FHIR R4 Questionnaire; the same as at its
        canonical URL under /api/v1/fhir/Questionnaire."""
        instruments = library()
        if instrument_id not in instruments:
            abort(404, message="No such instrument.")
        return fhir_response(questionnaire(instruments[instrument_id], fhir_base()))

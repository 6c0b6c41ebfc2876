"""The audit log (NEN 7513): every staff view of member data, every change, every export, and
every attempt that was refused."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_request_context, request
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.extensions import db
from rom.models import AuditEvent, StaffUser

REFUSALS = frozenset({401, 403, 404, 405})
STAFF_SIDE = ("/staff", "/dash", "/_dash", "/api")
PATH_LENGTH = 1000


def record(
    actor: StaffUser | None,
    action: str,
    subject_type: str,
    subject_id: object = None,
    actor_kind: str | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (it commits with the work it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_kind=actor_kind or ("staff" if actor is not None else "system"),
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id)[:40],
        address=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    return event


def audited_read(action: str, subject_type: str, subject_id: object = None, **detail: Any) -> None:
    """A staff member's read or export of member data, in the audit log at once: a view that
    changes nothing has no other work to commit with it."""
    record(current_user, action, subject_type, subject_id, **detail)
    db.session.commit()


def requested_path() -> str:
    """The whole path with its query, as asked (long enough to tell two requests apart)."""
    path = request.full_path if request.query_string else request.path
    return path[:PATH_LENGTH]


def init_app(app: Flask) -> None:
    app.after_request(_record_refusal)


def _record_refusal(response: Response) -> Response:
    """A staff user or API caller refused (401, 403, 404, 405) on the staff side is audited,
    with what they asked for: a therapist probing another group's member leaves a trace."""
    if response.status_code not in REFUSALS or not request.path.startswith(STAFF_SIDE):
        return response
    staff = current_user if current_user and current_user.is_authenticated else None
    token = g.get("api_token")
    if staff is None and token is None and not request.path.startswith("/api"):
        return response  # an anonymous miss outside the API is a login redirect's business
    db.session.rollback()
    record(
        staff,
        "refused",
        "request",
        None,
        actor_kind="staff" if staff else ("token" if token else "anonymous"),
        method=request.method,
        path=requested_path(),
        status=response.status_code,
        token=token.name if token else None,
    )
    db.session.commit()
    return response

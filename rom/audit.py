"""The audit log (NEN 7513): every staff view of member data, every change, every export."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from rom.extensions import db
from rom.models import AuditEvent, StaffUser


def record(
    actor: StaffUser | None,
    action: str,
    subject_type: str,
    subject_id: object = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the caller's transaction (it commits with the work it records)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_kind="staff" if actor is not None else "system",
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        address=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    return event

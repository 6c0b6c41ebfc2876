"""Who is calling the API: an integration's token (scopes, perhaps limited to some groups) or a
logged-in staff user (reading only, with the staff application's access rules)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable

import sqlalchemy as sa
from flask import Response, g, request
from flask_login import current_user
from flask_smorest import abort

from rom.access import groups_for, led_groups, visible_flags
from rom.audit import record, requested_path
from rom.extensions import db
from rom.models import (
    ORGANISATION_SCOPES,
    ApiToken,
    Flag,
    Group,
    IdempotentReply,
    Role,
    StaffUser,
)
from rom.services.api_tokens import TokenRefusedError, authenticate

STAFF_READS = {  # staff sessions read with their role's rights; writes need a token
    Role.THERAPIST: {"groups:read", "scores:read", "responses:read", "flags:read"},
    Role.MANAGER: {"groups:read", "flags:read", "volumes:read"},
    Role.ADMIN: {"groups:read", "flags:read", "volumes:read"},
}


def identify() -> None:
    """before_request of every API blueprint: a token, or a staff session for reads."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None and current_user.is_authenticated and request.method == "GET":
        return
    try:
        g.api_token = authenticate(header)
    except TokenRefusedError as refused:
        db.session.rollback()
        abort(401, message=f"API token {refused}.", headers={"WWW-Authenticate": "Bearer"})


def audit(response: Response) -> Response:
    """after_request: every accepted call is written to the audit log; reads carry an ETag
    (If-None-Match answers 304)."""
    if request.method == "GET" and response.status_code == 200 and not response.is_streamed:
        response.add_etag()
        response.make_conditional(request)
    if response.status_code < 400:
        _record_call(request.method.lower(), response.status_code)
    return response


def audit_refusal(status: int, **detail: object) -> None:
    """A call refused for what it asked (not for who asked), audited in its own transaction."""
    _record_call("refused", status, **detail)


def _record_call(action: str, status: int, **detail: object) -> None:
    """The call in the audit log, by its token or staff user, with its whole path; committed."""
    token: ApiToken | None = g.get("api_token")
    record(
        None if token else current_user,
        action,
        "api",
        request.path,
        actor_kind="token" if token else "staff",
        path=requested_path(),
        token=token.name if token else None,
        status=status,
        **detail,
    )
    db.session.commit()


def requires(scope: str) -> Callable:
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            token: ApiToken | None = g.get("api_token")
            allowed = _token_may(token, scope) if token else scope in _staff_reads(current_user)
            if not allowed:
                abort(403, message=f"This call needs the scope '{scope}'.")
            return view(*args, **kwargs)

        return checked

    return decorate


def _token_may(token: ApiToken, scope: str) -> bool:
    """The token holds the scope, and a token limited to some groups holds none over the whole
    organisation (whatever scopes were stored with it)."""
    if scope in ORGANISATION_SCOPES and token.group_ids is not None:
        return False
    return scope in token.scopes


def _staff_reads(user: StaffUser) -> set[str]:
    """The scopes of every role the account holds."""
    return set().union(*(STAFF_READS[role] for role in user.roles))


def visible_groups() -> sa.Select:
    token: ApiToken | None = g.get("api_token")
    if token is None:
        return groups_for(current_user)
    query = sa.select(Group).order_by(Group.id)
    if token.group_ids is not None:
        query = query.where(Group.id.in_(token.group_ids))
    return query


def member_groups() -> sa.Select:
    """The groups whose members the caller may read one by one: a token's groups, or the
    groups a staff user leads (a manager who also leads a group reads only that group's
    members)."""
    if g.get("api_token") is not None:
        return visible_groups()
    return led_groups(current_user)


def visible_flags_of(group_ids: sa.Select) -> sa.ColumnElement[bool]:
    """A token reads the flags of its groups (the organisation granted it the scope, and every
    call is audited); a staff session reads as the staff pages do (member flags for the
    member's therapists only)."""
    if g.get("api_token") is not None:
        return Flag.group_id.in_(group_ids)
    return visible_flags(current_user, group_ids)


def group_or_404(group_id: int) -> Group:
    group = db.session.scalar(visible_groups().where(Group.id == group_id))
    if group is None:
        abort(404, message="No such group for this caller.")
    return group


def idempotent(view: Callable) -> Callable:
    """A write sent again with the same Idempotency-Key returns the first answer and changes
    nothing; a key reused for another call is refused (422)."""

    @functools.wraps(view)
    def once(*args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        token: ApiToken = g.api_token
        if key:
            earlier = db.session.scalar(
                sa.select(IdempotentReply).where(
                    IdempotentReply.token_id == token.id, IdempotentReply.key == key
                )
            )
            if earlier is not None:
                if (earlier.method, earlier.path) != (request.method, request.path):
                    abort(422, message="This Idempotency-Key was used for another call.")
                return Response(
                    json.dumps(earlier.body),
                    status=earlier.status,
                    mimetype="application/json",
                    headers={"Idempotent-Replayed": "true"},
                )
        result = view(*args, **kwargs)
        body, status = result if isinstance(result, tuple) else (result, 200)
        if key:
            db.session.add(
                IdempotentReply(
                    token_id=token.id,
                    key=key[:200],
                    method=request.method,
                    path=request.path,
                    status=status,
                    body=json.loads(json.dumps(body, default=_json_value)),
                )
            )
        db.session.commit()
        return body, status

    return once


def _json_value(value: object) -> str:
    """Dates and times as the API's schemas write them (ISO 8601)."""
    return value.isoformat()  # type: ignore[attr-defined]

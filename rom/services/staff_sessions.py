"""Staff sessions held on the server: started at login, checked on every request against an
idle timeout and an absolute lifetime, ended by logout, a reset or deactivation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request

from rom.extensions import db
from rom.models import StaffSession, StaffUser, utcnow

TOUCH_SECONDS = 60  # seen_at is written at most once a minute per session


def _hashed(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: StaffUser) -> str:
    """A new session for the user, added to the caller's transaction; returns the cookie's key."""
    key = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(
            staff_id=user.id,
            key_hash=_hashed(key),
            address=request.remote_addr if has_request_context() else None,
        )
    )
    return key


def live(user_id: int, key: str, now: datetime | None = None) -> StaffSession | None:
    """The user's session with this key while it is neither ended, idle nor too old; a session
    found past a limit is ended so it can never come back (the caller commits at once)."""
    now = now or utcnow()
    found = db.session.scalar(
        sa.select(StaffSession).where(
            StaffSession.key_hash == _hashed(key),
            StaffSession.staff_id == user_id,
            StaffSession.ended_at.is_(None),
        )
    )
    if found is None:
        return None
    limit = _expired(found, now)
    if limit:
        _end(StaffSession.id == found.id, limit, now)
        return None
    if (now - found.seen_at).total_seconds() >= TOUCH_SECONDS:
        db.session.execute(
            sa.update(StaffSession).where(StaffSession.id == found.id).values(seen_at=now)
        )
    return found


def _expired(found: StaffSession, now: datetime) -> str | None:
    config = current_app.config
    if now - found.started_at >= timedelta(seconds=config["STAFF_SESSION_ABSOLUTE_SECONDS"]):
        return "absolute"
    if now - found.seen_at >= timedelta(seconds=config["STAFF_SESSION_IDLE_SECONDS"]):
        return "idle"
    return None


def end(key: str, reason: str = "logout") -> None:
    """End the session with this key (logout), in the caller's transaction."""
    _end(StaffSession.key_hash == _hashed(key), reason, utcnow())


def end_all(user: StaffUser, reason: str) -> int:
    """End every session of the account (a password or second-factor reset, deactivation), in
    the caller's transaction; returns how many were live."""
    return _end(StaffSession.staff_id == user.id, reason, utcnow())


def _end(which: sa.ColumnElement[bool], reason: str, now: datetime) -> int:
    result = db.session.execute(
        sa.update(StaffSession)
        .where(which, StaffSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )
    return result.rowcount

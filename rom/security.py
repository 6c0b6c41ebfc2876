"""Security headers on every response, and the staff login manager's wiring."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_babel import refresh

from rom.extensions import db, login_manager
from rom.models import StaffUser
from rom.services import staff_sessions
from rom.transactions import committed

SESSION_KEY = "kring_session"

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "staff.login"
    login_manager.login_message = _l("Log in om deze pagina te zien.")
    login_manager.localize_callback = str  # the lazy text, in the reader's language, flashed
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    app.before_request(_forget_earlier_requests)
    app.after_request(_secure_headers)


def _forget_earlier_requests() -> None:
    """Every request asks its own session for its user and CSRF key. A request normally gets a
    new `g`; one made inside an application context already pushed (tests, scripts) shares it,
    and must not inherit the user, the CSRF key or the language of an earlier request."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    refresh()  # Flask-Babel's language, cached on the context


def _load_user(user_id: str) -> StaffUser | None:
    """The staff user of a live server-side session; a copied cookie of an ended session, an
    idle or too old one, or a deactivated account loads no one."""
    key = session.get(SESSION_KEY)
    if not key or not user_id.isdigit():
        return None
    with committed():  # an ended or touched session stays so, whatever the request does next
        found = staff_sessions.live(int(user_id), key)
    if found is None:
        session.clear()
        return None
    user = db.session.get(StaffUser, int(user_id))
    return user if user is not None and user.active else None


HSTS = "max-age=31536000; includeSubDomains"


def _secure_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["ENV"] == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    response.headers.setdefault("Cache-Control", "no-store")
    return response

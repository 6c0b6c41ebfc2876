"""The only Flask-aware glue for dashboards: mount a Dash app, put every route it registers
behind the staff login and a role, hand Dash a CSRF token, and a CSP that admits its one inline
script by hash. The page Dash serves speaks the reader's language (lang, title, loading text)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from dash import Dash
from flask import Flask, Response, abort, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from rom.extensions import login_manager
from rom.i18n import reader_language
from rom.models import Role

CSRF_COOKIE = "_csrf_token"  # the cookie dash-renderer echoes as the X-CSRFToken header


class KringDash(Dash):
    """A Dash app whose page is in the reader's language: `lang` on the html element, the title
    and the text shown while it loads."""

    page_title: LazyString | str = "Kring"

    def interpolate_index(self, **kwargs: str) -> str:
        loading = escape(_("Laden…"))
        kwargs["title"] = f"{escape(str(self.page_title))} · Kring"
        kwargs["app_entry"] = (
            f'<div id="react-entry-point"><div class="_dash-loading">{loading}</div></div>'
        )
        page = super().interpolate_index(**kwargs)
        return page.replace("<html>", f'<html lang="{reader_language()}">', 1)


def mount(
    server: Flask,
    *,
    path: str,
    title: LazyString | str,
    layout: Callable,
    register_callbacks: Callable[[Dash], None],
    roles: Iterable[Role],
) -> Dash:
    app = KringDash(
        __name__,
        server=server,
        url_base_pathname=path,
        serve_locally=True,
        update_title=None,
    )
    app.page_title = title
    with server.test_request_context(path):  # Dash calls the layout once to check it: as if
        app.layout = layout  # a request for the page did (its links are built by url_for)
    register_callbacks(app)
    guard(app, frozenset(roles))
    server.after_request(_dashboard_headers(app, path))
    return app


def guard(dash_app: Dash, roles: frozenset[Role]) -> None:
    """Every route Dash registered requires a logged-in staff user with one of the roles."""
    server = dash_app.server
    prefix = dash_app.config.routes_pathname_prefix
    pages = {prefix, prefix + "<path:path>"}
    for endpoint in dash_app.routes:
        view = server.view_functions[endpoint]
        server.view_functions[endpoint] = _require(dash_app, view, roles, page=endpoint in pages)


def _require(dash_app: Dash, view: Callable, roles: frozenset[Role], *, page: bool) -> Callable:
    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized() if page else abort(401)
        if not current_user.has_role(*roles):
            abort(403)
        if request.path.endswith(UPDATE) and not well_formed_call(
            dash_app, request.get_json(silent=True)
        ):
            abort(400)
        return view(*args, **kwargs)

    return guarded


UPDATE = "_dash-update-component"


def well_formed_call(dash_app: Dash, body: object) -> bool:
    """A callback request names a callback this app has, with as many inputs and states as it
    takes, each an id and a property: anything else would fail inside Dash (500), so it is a
    bad request before Dash sees it. The values themselves are each callback's to check."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    spec = dash_app.callback_map.get(body["output"])
    if spec is None or not isinstance(body.get("outputs", []), list | dict):
        return False
    changed = body.get("changedPropIds", [])
    return (
        _entries(body.get("inputs"), len(spec["inputs"]))
        and _entries(body.get("state", []), len(spec["state"]))
        and isinstance(changed, list)
        and all(isinstance(prop, str) for prop in changed)
    )


def _entries(value: object, count: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == count
        and all(
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("property"), str)
            for entry in value
        )
    )


def _dashboard_headers(dash_app: Dash, path: str) -> Callable[[Response], Response]:
    def add(response: Response) -> Response:
        if not request.path.startswith(path):
            return response
        if request.path == path and current_user.is_authenticated:
            response.set_cookie(
                CSRF_COOKIE,
                generate_csrf(),
                path=path,
                samesite="Strict",
                secure=request.is_secure,
                httponly=False,
            )
        hashes = " ".join(dash_app.csp_hashes())
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        return response

    return add

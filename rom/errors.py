"""Every HTTP error in one place: staff get a page in their language with a way back, a member
on a /q/ path gets the member's notice with the help numbers, the API answers RFC 9457 problem
details (application/problem+json)."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import Conflict, HTTPException

from rom.extensions import db
from rom.refusals import Refusal

PROBLEM = "application/problem+json"

MESSAGES = {
    400: (_l("Dit verzoek klopt niet"), _l("Er is niets opgeslagen. Probeer het opnieuw.")),
    403: (_l("Geen toegang"), _l("Deze pagina is niet voor uw rol.")),
    404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet, of is niet voor u.")),
    405: (_l("Dit kan zo niet"), _l("Deze pagina kan op deze manier niet gebruikt worden.")),
    409: (_l("Niet gelukt"), _l("Er is niets opgeslagen.")),
    413: (_l("Te groot"), _l("Wat u stuurde is te groot. Er is niets opgeslagen.")),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging bij ons iets mis. Er is niets opgeslagen; probeer het later opnieuw."),
    ),
}


def register_errorhandlers(app: Flask) -> None:
    """After the API, so this handler replaces flask-smorest's own (a 500 is an HTTPException
    too: an unexpected error gets the same pages)."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Refusal, handle_refusal)


def handle_refusal(refused: Refusal) -> Response | tuple[str, int] | tuple[str, int, list]:
    """A service declined and no one at the edge showed why: nothing is kept, and the answer is
    a 409 with the reason (problem details under /api; pages show it beside their form)."""
    db.session.rollback()
    conflict = Conflict(description=str(refused))
    return (
        problem(conflict) if request.path.startswith("/api/") else error_page(conflict, reason=True)
    )


def handle_http_error(error: HTTPException) -> Response | tuple[str, int] | tuple[str, int, list]:
    return problem(error) if request.path.startswith("/api/") else error_page(error)


def problem(error: HTTPException) -> Response:
    """RFC 9457 problem details, with the fields at fault and the headers the error carries."""
    data = getattr(error, "data", {}) or {}
    payload = {
        "type": "about:blank",
        "title": error.name,
        "status": error.code,
        "detail": data.get("message") or error.description,
    }
    if data.get("messages") or data.get("errors"):
        payload["errors"] = data.get("errors") or data.get("messages")
    response = jsonify(payload)
    response.status_code = error.code or 500
    response.content_type = PROBLEM
    for name, value in error.get_headers():  # e.g. Allow on a 405
        if name.lower() != "content-type":
            response.headers[name] = value
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def error_page(
    error: HTTPException, reason: bool = False
) -> Response | tuple[str, int] | tuple[str, int, list]:
    """The page for an HTTP error outside the API, in the reader's language (with `reason`, the
    error's description says why, in that language already)."""
    if error.response is not None:  # a page made already (e.g. a refusal with Retry-After)
        return error.response
    code = error.code or 500
    title, text = MESSAGES.get(code, (error.name, error.description or ""))
    if reason:
        text = error.description
    if request.path.startswith("/q/"):
        from rom.clientflow.views import member_notice

        if code == 404:
            return member_notice("unknown")
        template = "errors/member_error.html"  # the member's page, with the help numbers
    else:
        template = "errors/error.html"
    page = render_template(template, code=code, title=title, text=text, lang=str(get_locale()))
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return page, code, headers  # e.g. Allow on a 405

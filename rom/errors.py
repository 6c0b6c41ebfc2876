"""Error pages people can read: staff get the error in their language with a way back, a member
on a /q/ path gets the member's notice with the help numbers, the API keeps problem details
(rom/api). `/` leads to the staff login."""

from __future__ import annotations

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

MESSAGES = {
    400: (_l("Dit verzoek klopt niet"), _l("Er is niets opgeslagen. Probeer het opnieuw.")),
    403: (_l("Geen toegang"), _l("Deze pagina is niet voor uw rol.")),
    404: (_l("Niet gevonden"), _l("Deze pagina bestaat niet, of is niet voor u.")),
    405: (_l("Dit kan zo niet"), _l("Deze pagina kan op deze manier niet gebruikt worden.")),
    413: (_l("Te groot"), _l("Wat u stuurde is te groot. Er is niets opgeslagen.")),
    500: (
        _l("Er ging iets mis"),
        _l("Er ging bij ons iets mis. Er is niets opgeslagen; probeer het later opnieuw."),
    ),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(InternalServerError, _server_error)
    app.add_url_rule("/", "root", _root)


def _root() -> Response:
    return redirect(url_for("staff.home"))


def error_page(error: HTTPException) -> Response | tuple[str, int] | tuple[str, int, list]:
    """The page for an HTTP error outside the API, in the reader's language."""
    if error.response is not None:  # a page made already (e.g. a refusal with Retry-After)
        return error.response
    code = error.code or 500
    title, text = MESSAGES.get(code, (error.name, error.description or ""))
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


def _server_error(error: InternalServerError) -> tuple[str, int]:
    return error_page(error)

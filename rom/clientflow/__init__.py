"""The member's questionnaire on the phone, at /q/<token>: no account, no JavaScript needed."""

from flask import Blueprint

bp = Blueprint("clientflow", __name__, url_prefix="/q")

from rom.clientflow import views  # noqa: E402,F401  (routes register on import)

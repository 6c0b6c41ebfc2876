"""The staff application at /staff: login, caseload of flags, groups, outbox (admins)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from rom.staff import auth, batteries, flags, groups, outbox, reports  # noqa: E402,F401  (routes register on import)

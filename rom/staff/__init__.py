"""The staff application at /staff: login, flags, groups and their sessions and members,
batteries, reports, the outbox (admins)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from rom.staff import (  # noqa: E402,F401  (routes register on import)
    accounts,
    audit_log,
    auth,
    batteries,
    briefings,
    data_rights,
    filters,
    flags,
    group_feedback,
    groups,
    members,
    outbox,
    reports,
    sessions,
    setup,
    single_sign_on,
    waiting_list,
)

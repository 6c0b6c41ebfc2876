"""The staff application at /staff: login, flags, groups and their sessions and members,
batteries, reports, the outbox (admins)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.app_context_processor
def _access_in_templates() -> dict[str, object]:
    from rom.access import may_work_the_waiting_list

    return {"may_work_the_waiting_list": may_work_the_waiting_list}


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
    individual_volumes,
    members,
    outbox,
    reports,
    sessions,
    setup,
    single_sign_on,
    waiting_list,
)

"""The scheduled jobs: module-level functions (storable by reference), each around one service.

They run in the scheduler process, which binds its application here before starting. A job is
an edge: it commits its service's work once (delivery commits message by message itself, and
preparing reports request by request).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from flask import Flask, current_app

from rom.transactions import committed

log = logging.getLogger(__name__)

_app: Flask | None = None


def bind(app: Flask) -> None:
    global _app
    _app = app


def _bound_app() -> Flask:
    if _app is None:
        raise RuntimeError("the scheduler process did not bind an application")
    return _app


def _in_app(service) -> None:
    with _bound_app().app_context(), committed():
        service()


def plan_invitations() -> None:
    from rom.services.planning import plan_invitations as plan

    _in_app(plan)


def deliver_outbox() -> None:
    from rom.messaging.delivery import deliver_due
    from rom.messaging.senders import configured_senders

    _in_app(
        lambda: deliver_due(
            configured_senders(current_app.config),
            claim_timeout=timedelta(seconds=current_app.config["DELIVERY_CLAIM_SECONDS"]),
            connections=current_app.config["DELIVERY_CONNECTIONS"],
        )
    )


def expire_invitations() -> None:
    from rom.services.expiry import cancel_messages_of_expired_invitations

    _in_app(cancel_messages_of_expired_invitations)


def close_sessions() -> None:
    from rom.services.closing import close_sessions as close

    _in_app(close)


def refit_expected_course() -> None:
    from rom.services.courses import refit_expected_course as refit

    _in_app(refit)


def recompute_flags() -> None:
    from rom.services.flagging import recompute_flags as recompute

    _in_app(recompute)


def escalate_critical_flags() -> None:
    from rom.services.escalation import escalate_overdue_critical_flags

    _in_app(escalate_overdue_critical_flags)


def send_digests() -> None:
    from rom.services.digest import queue_digests

    _in_app(queue_digests)


def send_briefing_notices() -> None:
    from rom.services.briefings.notices import queue_briefing_notices

    _in_app(queue_briefing_notices)


def prepare_reports() -> None:
    """Prepare the reports asked for on the reports page, each in a process of its own (the
    service commits each itself)."""
    from rom.scheduling.own_process import in_own_process
    from rom.services.report_requests import prepare_requested_reports

    with _bound_app().app_context():
        prepare_requested_reports(
            render=partial(in_own_process, "rom.services.report_requests:prepare_claimed")
        )


def prepare_management_figures() -> None:
    """Prepare the management dashboard's figures for the usual periods and its quality section,
    in a process of its own (the service commits)."""
    from rom.scheduling.own_process import in_own_process

    with _bound_app().app_context():
        code = in_own_process("rom.services.management_figures:prepare_management_figures")
    if code:
        log.error("the process preparing the management figures ended with exit code %s", code)

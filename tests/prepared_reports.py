"""Asking for an organisation-wide report as the reports page does, and downloading it from the
page once the scheduler's job has prepared it (the job's own code, run here in the test)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from rom.services.report_requests import prepare_requested_reports
from tests.staff_session import csrf

ASKED_AT = {
    "organisation": "/staff/reports/organisation",
    "growth_path": "/staff/reports/growth-path",
}
PREPARED_LINK = re.compile(r'href="(/staff/reports/prepared/\d+\.pdf)"')


def ask_for_report(client: FlaskClient, kind: str, fields: dict[str, str]) -> TestResponse:
    """The form on the reports page sent, as the person logged in."""
    return client.post(ASKED_AT[kind], data=fields | {"csrf_token": csrf(client, "/staff/reports")})


def prepared_links(client: FlaskClient) -> list[str]:
    """The download links on the reports page, newest first."""
    return PREPARED_LINK.findall(client.get("/staff/reports").get_data(as_text=True))


def prepared_report(client: FlaskClient, kind: str, fields: dict[str, str]) -> TestResponse:
    """Ask, let the scheduler's job prepare it, and download it from the reports page."""
    asked = ask_for_report(client, kind, fields)
    assert asked.status_code == 302, asked.get_data(as_text=True)[:500]
    with client.application.app_context():  # as the scheduler: no request, its own context
        prepare_requested_reports()
    links = prepared_links(client)
    assert links, "the reports page offers the prepared report"
    return client.get(links[0])

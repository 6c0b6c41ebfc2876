"""Dash apps mounted in the Flask application under /dash/, behind the staff login
(STYLE.md section 3): the group dashboard for therapists, their caseload, and the
organisation for managers."""

from __future__ import annotations

from flask import Flask


def init_app(server: Flask) -> None:
    from dashboards import caseload, group, management

    group.create(server)
    caseload.create(server)
    management.create(server)

"""The management dashboard: the organisation by kind of group and therapist over a period."""

from __future__ import annotations

from dash import Dash
from flask import Flask
from flask_babel import lazy_gettext as _l

from dashboards import paths
from dashboards._mount import mount
from dashboards.management.callbacks import register_callbacks
from dashboards.management.layout import layout
from rom.models import Role


def create(server: Flask) -> Dash:
    return mount(
        server,
        path=paths.MANAGEMENT,
        title=_l("Managementdashboard"),
        layout=layout,
        register_callbacks=register_callbacks,
        roles=(Role.MANAGER, Role.ADMIN),
    )

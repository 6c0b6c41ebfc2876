"""The group dashboard: each member's course, the group's climate, attendance and flags."""

from __future__ import annotations

from dash import Dash
from flask import Flask
from flask_babel import lazy_gettext as _l

from dashboards import paths
from dashboards._mount import mount
from dashboards.group.callbacks import register_callbacks
from dashboards.group.layout import layout
from rom.models import Role


def create(server: Flask) -> Dash:
    return mount(
        server,
        path=paths.GROUP,
        title=_l("Groepsdashboard"),
        layout=layout,
        register_callbacks=register_callbacks,
        roles=(Role.THERAPIST,),
    )

"""The caseload dashboard: a therapist's groups, flags by urgency, what to do before the next
session."""

from __future__ import annotations

from dash import Dash
from flask import Flask
from flask_babel import lazy_gettext as _l

from dashboards import paths
from dashboards._mount import mount
from dashboards.caseload.callbacks import register_callbacks
from dashboards.caseload.layout import layout
from rom.models import Role


def create(server: Flask) -> Dash:
    return mount(
        server,
        path=paths.CASELOAD,
        title=_l("Mijn groepen"),
        layout=layout,
        register_callbacks=register_callbacks,
        roles=(Role.THERAPIST,),
    )

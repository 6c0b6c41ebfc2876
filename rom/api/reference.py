"""A readable API reference at /api/v1/docs, rendered on the server from the OpenAPI document
(no scripts, no external resources)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_reference", __name__)


@bp.get("/api/v1/docs")
def docs() -> str:
    spec = current_app.extensions["kring.api"].spec.to_dict()
    return render_template("api/reference.html", spec=spec)

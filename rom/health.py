"""GET /healthz: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint
from sqlalchemy.exc import SQLAlchemyError

from rom.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}, 200

"""Template filters of the staff pages."""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from rom.clock import to_local
from rom.staff import bp

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")


@bp.app_template_filter("localtime")
def localtime(moment: datetime | None) -> str:
    """A stored UTC moment as the organisation's wall-clock time, Dutch style."""
    if moment is None:
        return "–"
    local = to_local(moment, current_app.config["TIMEZONE"])
    return f"{WEEKDAYS[local.weekday()]} {local:%d-%m-%Y %H:%M}"

"""Template filters of the staff pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from babel.dates import format_date
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from rom.clock import to_local
from rom.labels import FORMAT_LABELS, KIND_LABELS, LEAVE_LABELS, label
from rom.services.batteries import battery_name
from rom.staff import bp


@bp.app_template_filter("localtime")
def localtime(moment: datetime | str | None) -> str:
    """A stored UTC moment (or its ISO text, as JSON keeps it) as the organisation's wall-clock
    time (day-month-year, as in the Netherlands), its weekday in the reader's language."""
    if moment is None:
        return "–"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = to_local(moment, current_app.config["TIMEZONE"])
    weekday = format_date(local.date(), "EEE", locale=get_locale())  # "ma" in Dutch
    return f"{weekday} {local:%d-%m-%Y %H:%M}"


@bp.app_template_filter("kind_label")
def kind_label(kind: object) -> str:
    """A kind of group in the reader's language ("any kind" when none was wished)."""
    value = getattr(kind, "value", kind)
    if not value:
        return _("elke soort groep")
    return label(KIND_LABELS, value)


bp.app_template_filter("battery_name")(battery_name)


@bp.app_template_filter("format_label")
def format_label(group_format: object) -> str:
    """Closed or slow-open, in the reader's language."""
    return label(FORMAT_LABELS, group_format)


@bp.app_template_filter("leave_reason")
def leave_reason(reason: object) -> str:
    """Why a member left, in the reader's language."""
    return label(LEAVE_LABELS, getattr(reason, "value", reason) or None)


LANGUAGE_NAMES = {"nl": _l("Nederlands"), "en": _l("Engels")}


@bp.app_template_filter("language_name")
def language_name(language: object) -> str:
    """A client's or group's language by name in the reader's language ('Engels' on a Dutch
    page, 'Dutch' on an English one), not its code."""
    value = str(getattr(language, "value", language) or "")
    return str(LANGUAGE_NAMES.get(value, value or "–"))


OUTBOX_STATUSES = {
    "pending": _l("wacht"),
    "sending": _l("wordt verzonden"),
    "sent": _l("verzonden"),
    "failed": _l("mislukt"),
    "cancelled": _l("geannuleerd"),
}
OUTBOX_PURPOSES = {
    "invitation": _l("uitnodiging"),
    "reminder": _l("herinnering"),
    "alert": _l("melding kritiek antwoord"),
    "escalation": _l("kritiek signaal te lang open"),
    "digest": _l("dagoverzicht"),
    "briefing": _l("voorbereiding bijeenkomst"),
}


@bp.app_template_filter("outbox_status")
def outbox_status(status: object) -> str:
    value = str(getattr(status, "value", status))
    return str(OUTBOX_STATUSES.get(value, value))


@bp.app_template_filter("outbox_purpose")
def outbox_purpose(purpose: str) -> str:
    return str(OUTBOX_PURPOSES.get(purpose, _("overig")))


ROLE_LABELS = {"therapist": _l("behandelaar"), "manager": _l("manager"), "admin": _l("beheerder")}


@bp.app_template_filter("role_label")
def role_label(role: object) -> str:
    value = str(getattr(role, "value", role))
    return str(ROLE_LABELS.get(value, value))


@bp.app_template_filter("role_labels")
def role_labels(roles: Iterable[object]) -> str:
    """An account's roles in a fixed order (behandelaar, manager, beheerder)."""
    order = list(ROLE_LABELS)
    values = sorted((str(getattr(r, "value", r)) for r in roles), key=order.index)
    return ", ".join(role_label(value) for value in values)

"""Logging that never carries contact details or link tokens, whoever writes the message."""

from __future__ import annotations

import logging
import re

from flask import Flask

_REDACTIONS = (
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"(/q/|/staff/account/)[A-Za-z0-9_-]+"), r"\g<1>[token]"),
    (re.compile(r"(?<![\w.:/-])(?:\+\d{2} ?|0)\d(?:[ -]?\d){7,10}(?![\w.:/-])"), "[phone]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's final text so that no e-mail, phone number or token survives."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def init_app(app: Flask) -> None:
    level = logging.DEBUG if app.debug else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # a line per rendering step
    if not app.debug:  # the scheduler's every tick ("Running job ...") only when debugging
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactingFilter) for f in werkzeug.filters):
        werkzeug.addFilter(RedactingFilter())

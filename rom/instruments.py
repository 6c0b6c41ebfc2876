"""The application's questionnaire library: shipped instruments plus ROM_INSTRUMENTS_DIR."""

from __future__ import annotations

from flask import current_app

from questionnaires import Library, load_library


def library() -> Library:
    cached = current_app.extensions.get("kring.library")
    if cached is None:
        extra = current_app.config.get("INSTRUMENTS_DIR") or ""
        cached = load_library([extra] if extra else [])
        current_app.extensions["kring.library"] = cached
    return cached

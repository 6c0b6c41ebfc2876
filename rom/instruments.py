"""The application's questionnaire library: shipped instruments plus ROM_INSTRUMENTS_DIR."""

from __future__ import annotations

from flask import current_app

from questionnaires import Library, Scale, load_library
from questionnaires.model import Text


def library() -> Library:
    cached = current_app.extensions.get("kring.library")
    if cached is None:
        extra = current_app.config.get("INSTRUMENTS_DIR") or ""
        cached = load_library([extra] if extra else [])
        current_app.extensions["kring.library"] = cached
    return cached


def phq9_total() -> Scale:
    """The PHQ-9 total: the scale outcomes, courses and reports are counted on."""
    return library()["phq9"].scale("total")


def fhir_base() -> str:
    """Where this organisation's Questionnaires and CodeSystems live: their canonical base."""
    config = current_app.config
    return (config.get("FHIR_BASE") or f"{config['BASE_URL']}/api/v1/fhir").rstrip("/")


def in_language(text: Text, language: str) -> str:
    """An instrument's text in the reader's language, else in Dutch (every instrument has it)."""
    return text.get(language) or text.get("nl") or next(iter(text.values()), "")

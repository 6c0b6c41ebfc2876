"""schemathesis against the OpenAPI document on a realistic organisation (the demo: nine groups,
their members, sessions, answers and flags), with a token holding every scope: every phase
(examples, coverage, fuzzing, stateful), positive and negative data, every default check,
bounded in time. No server error, no response that breaks the document, schema-valid input
accepted and invalid input refused."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from rom.demo import create_demo
from rom.extensions import db
from rom.models import SCOPES, utcnow
from rom.services.api_tokens import create_token
from tests.api_fuzzing import fuzz


def test_the_api_keeps_its_document_in_every_phase(sqlite_only: Flask) -> None:
    create_demo()
    made = create_token("fuzz", list(SCOPES), utcnow() + timedelta(days=1))
    db.session.commit()
    sqlite_only.config["API_RATE_LIMIT"] = "1000000 per minute"
    try:
        run = fuzz(sqlite_only, made.secret, max_examples=10, seconds=240)
    finally:
        sqlite_only.config["API_RATE_LIMIT"] = "600 per minute"
    assert run.stop_reason == "completed", run.report()
    assert set(run.cases) >= {"coverage", "fuzzing", "stateful"}, run.report()
    assert run.modes == {"positive", "negative"}, run.report()
    assert run.findings == [], run.report()
    assert run.errors == [], run.report()

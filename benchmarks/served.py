"""The application as gunicorn serves it in the questionnaire benchmark, with the routes it is
measured against beside it (the database and the page to hold in memory come from the
benchmark's environment)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from flask import Flask, request

from rom import create_app
from rom.extensions import csrf
from rom.instruments import library
from rom.services.invitations import open_link
from rom.services.submissions import submit


def add_reference_routes(app: Flask, page: Callable[[], str]) -> None:
    """/bare/<token>: the page's HTML from memory. /write/<token>: a submit's write alone."""
    app.add_url_rule("/bare/<token>", "bare", lambda token: page())
    app.add_url_rule("/write/<token>", "write", csrf.exempt(_write_only), methods=["POST"])


def _write_only(token: str) -> str:
    """A submit without its thank-you page: the form parsed, the link read, the response claimed,
    scored and stored with its answers and scores, committed (how much of a submit is the write,
    and how much the page with the member's course that follows it)."""
    _ = request.form
    link = open_link(token)
    submit(link, library(), page=link.instrument_ids[-1])
    return "ok"


if "BENCH_DATABASE_URL" in os.environ:
    app = create_app(
        {
            "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
            "SECRET_KEY": "bench",
            "QUESTIONNAIRE_RATE_LIMIT": "1000000 per minute",
        }
    )
    _PAGE = Path(os.environ["BENCH_BARE_PAGE"]).read_text()
    add_reference_routes(app, lambda: _PAGE)

"""Phone questionnaire: requests per second for opening a page and for submitting one, against a
bare Flask route returning the same HTML from memory (targets: open >= 0.5, submit >= 0.25)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from flask import Flask

from benchmarks.data import fresh_app

OPENS = 400
SUBMITS = 200


def _prepare(app: Flask) -> list[str]:
    from rom.extensions import db
    from tests.factories import make_group, make_invitation, make_member, make_session

    group = make_group()
    session = make_session(group, 1)
    tokens = []
    for n in range(SUBMITS + 1):
        invitation, token = make_invitation(make_member(group, code=f"B{n}"), session)
        invitation.draft = {
            "phq9": {str(i): 1 for i in range(1, 10)},
            "gad7": {str(i): 1 for i in range(1, 8)},
        }
        tokens.append(token)
    db.session.commit()
    return tokens


def _rate(count: int, call) -> float:
    started = time.perf_counter()
    for n in range(count):
        call(n)
    return count / (time.perf_counter() - started)


def run() -> None:
    app = fresh_app()
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "1000000 per minute"
    held: dict[str, str] = {}
    app.add_url_rule("/bare", "bare", lambda: held["page"])
    with app.app_context():
        tokens = _prepare(app)
    client = app.test_client()
    page = held["page"] = client.get(f"/q/{tokens[0]}?page=2").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    opened = _rate(OPENS, lambda _: client.get(f"/q/{tokens[0]}?page=2"))
    bare = _rate(OPENS, lambda _: client.get("/bare"))
    form = {"csrf_token": csrf, "page": "2", "action": "submit"}
    submitted = _rate(SUBMITS, lambda n: client.post(f"/q/{tokens[n + 1]}", data=form))
    print(f"bare route: {bare:,.0f} requests/s")
    print(
        f"open a questionnaire page: {opened:,.0f} requests/s, ratio {opened / bare:.2f} "
        f"(target >= 0.5)"
    )
    print(
        f"submit a questionnaire: {submitted:,.0f} requests/s, ratio {submitted / bare:.2f} "
        f"(target >= 0.25)"
    )
    size = len(page.encode()) + (Path(app.static_folder) / "client.css").stat().st_size
    print(f"HTML + CSS of a questionnaire page: {size / 1024:.1f} KB (target < 30 KB)")

"""Phone questionnaire: requests per second for opening a page and for submitting one, against a
bare Flask route returning the same HTML from memory (targets: open >= 0.5, submit >= 0.25).

The bare route is asked for like the page (a token in the path, ?page=2), so that the two differ
only in what the route does, not in the URL the framework parses and routes. A submit is also
measured without its thank-you page (the write alone: benchmarks/served.py), to show how much of
it is the write and how much the page with the member's course that follows it.

Measured twice: in process through Flask's test client (the framework's dispatch only, no network),
and over HTTP through gunicorn as in production, one worker and one connection per request, as a
phone reaches it."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask

from benchmarks.data import ROOT, fresh_app
from benchmarks.served import add_reference_routes

ROUNDS = 5  # the three measurements take turns; each reports its best round (as timeit does:
# on a shared machine, slower rounds measure the neighbours, not the code)
OPENS = 200  # per round
SUBMITS = 100  # per round, each a link of its own


def _prepare(prefix: str, count: int) -> list[str]:
    """Links of members who answered the PHQ-9 at the two sessions before (so the thank-you page
    draws their course over the expected band, as it does for most members), with every answer
    of this third session given (none critical), ready to submit on the last page."""
    from rom.extensions import db
    from rom.models import Response, ResponseSource, Score, utcnow
    from tests.factories import make_group, make_invitation, make_member, make_session

    group = make_group(code=f"G{prefix}")
    earlier = [make_session(group, 1), make_session(group, 2)]
    session = make_session(group, 3)
    tokens = []
    for n in range(count):
        member = make_member(group, code=f"{prefix}{n}")
        for before, total in zip(earlier, (16.0, 13.0), strict=True):
            db.session.add(
                Response(
                    membership_id=member.id,
                    session_id=before.id,
                    instrument_id="phq9",
                    instrument_version="1",
                    completed_at=utcnow(),
                    source=ResponseSource.PHONE,
                    scores=[Score(scale="total", raw=total, value=total, items_missing=0)],
                )
            )
        invitation, token = make_invitation(member, session)
        invitation.draft = {
            "phq9": {str(i): 1 if i < 9 else 0 for i in range(1, 10)},
            "gad7": {str(i): 1 for i in range(1, 8)},
        }
        tokens.append(token)
    db.session.commit()
    return tokens


def _form_key(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _submit_forms(get: Callable[[str], str], tokens: list[str]) -> list[dict[str, str]]:
    """Each link's last page as the member's phone would hold it before tapping Send (the form
    key is bound to the link), fetched before the clock starts."""
    return [
        {"csrf_token": _form_key(get(f"/q/{token}?page=2")), "page": "2", "action": "submit"}
        for token in tokens
    ]


def _rate(count: int, call: Callable[[int], object], first: int = 0) -> float:
    started = time.perf_counter()
    for n in range(first, first + count):
        call(n)
    return count / (time.perf_counter() - started)


def _best_rates(
    bare: Callable[[int], object],
    opened: Callable[[int], object],
    submitted: Callable[[int], object],
    written: Callable[[int], object],
) -> tuple[float, float, float, float]:
    """Requests per second of each, the best of ROUNDS rounds taken in turn. Each submit and each
    write takes a link of its own: submits links 1 to ROUNDS * SUBMITS, writes the ones after
    (link 0 is the one opened)."""
    rates = [
        (
            _rate(OPENS, bare),
            _rate(OPENS, opened),
            _rate(SUBMITS, submitted, first=1 + round_ * SUBMITS),
            _rate(SUBMITS, written, first=1 + (ROUNDS + round_) * SUBMITS),
        )
        for round_ in range(ROUNDS)
    ]
    best = [max(column) for column in zip(*rates, strict=True)]
    return best[0], best[1], best[2], best[3]


def _report(where: str, bare: float, opened: float, submitted: float, written: float) -> None:
    print(f"{where}: bare route {bare:,.0f} requests/s")
    print(f"  open a questionnaire page: {opened:,.0f} requests/s, ratio {opened / bare:.2f}")
    print(f"  submit a questionnaire: {submitted:,.0f} requests/s, ratio {submitted / bare:.2f}")
    print(
        f"  (its write alone, without the thank-you page: {written:,.0f} requests/s, "
        f"ratio {written / bare:.2f})"
    )


def _in_process(app: Flask, tokens: list[str]) -> str:
    held: dict[str, str] = {}
    add_reference_routes(app, lambda: held["page"])
    client = app.test_client()
    page = held["page"] = client.get(f"/q/{tokens[0]}?page=2").get_data(as_text=True)
    forms = _submit_forms(lambda path: client.get(path).get_data(as_text=True), tokens)
    rates = _best_rates(
        lambda _: client.get(f"/bare/{tokens[0]}?page=2"),
        lambda _: client.get(f"/q/{tokens[0]}?page=2"),
        lambda n: client.post(f"/q/{tokens[n]}", data=forms[n]),
        lambda n: client.post(f"/write/{tokens[n]}", data=forms[n]),
    )
    _report("in process (test client)", *rates)
    return page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Http:
    """A phone's view of the server: one new connection per request, cookies kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        if response.status >= 400:
            raise RuntimeError(f"{method} {path.split('/')[1]}: HTTP {response.status}")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return text


def _served(database_url: str, page: str, tokens: list[str]) -> None:
    port = _free_port()
    held = Path(tempfile.mkdtemp(prefix="kring-bench-page-")) / "page.html"
    held.write_text(page)
    env = dict(os.environ, BENCH_DATABASE_URL=database_url, BENCH_BARE_PAGE=str(held))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--no-control-socket",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "benchmarks.served:app",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port)
        client = _Http(port)
        forms = _submit_forms(lambda path: client.request("GET", path), tokens)
        rates = _best_rates(
            lambda _: client.request("GET", f"/bare/{tokens[0]}?page=2"),
            lambda _: client.request("GET", f"/q/{tokens[0]}?page=2"),
            lambda n: client.request("POST", f"/q/{tokens[n]}", forms[n]),
            lambda n: client.request("POST", f"/write/{tokens[n]}", forms[n]),
        )
        _report("over HTTP (gunicorn, 1 worker)", *rates)
    finally:
        server.terminate()
        server.wait()


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def run() -> None:
    app = fresh_app()
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "1000000 per minute"
    with app.app_context():
        local = _prepare("L", 2 * ROUNDS * SUBMITS + 1)
        remote = _prepare("H", 2 * ROUNDS * SUBMITS + 1)
    page = _in_process(app, local)
    _served(app.config["SQLALCHEMY_DATABASE_URI"], page, remote)
    print("targets: open >= 0.5, submit >= 0.25 of the bare route")
    size = len(page.encode()) + (Path(app.static_folder) / "client.css").stat().st_size
    print(f"HTML + CSS of a questionnaire page: {size / 1024:.1f} KB (target < 30 KB)")

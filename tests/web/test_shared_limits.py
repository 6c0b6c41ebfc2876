"""Every limit (wrong passwords, wrong second-factor codes, the questionnaire's) holds across
web workers when it is kept in Redis: a real redis-server and two real gunicorn workers."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path

import pyotp
import pytest
import redis

from rom import create_app
from rom.extensions import db
from tests import redis_server
from tests.conftest import require
from tests.personas import PASSWORD
from tests.postgres import _free_port

ROOT = Path(__file__).resolve().parents[2]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One visitor with a cookie jar, over real HTTP; answers are (status, headers, text)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect
        )

    def request(self, path: str, form: dict[str, str] | None = None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(self.base + path, data=data, timeout=30) as reply:
                return reply.status, reply.headers, reply.read().decode()
        except urllib.error.HTTPError as refused:
            return refused.code, refused.headers, refused.read().decode()

    def post_form(self, path: str, fields: dict[str, str]):
        _, _, page = self.request(path)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        return self.request(path, {"csrf_token": token, **fields})


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two gunicorn workers on a migrated database with two therapists (second factor set),
    their rate limits in a throwaway Redis; yields the base URL and Redis's URL."""
    require(redis_server.available(), "redis-server is not installed")
    from flask_migrate import upgrade

    from rom.services.accounts import new_staff_user

    folder = tmp_path_factory.mktemp("shared-limits")
    database = f"sqlite:///{folder / 'kring.sqlite3'}"
    app = create_app({"DATABASE_URL": database, "SECRET_KEY": "test-shared-limits"})
    with app.app_context():
        upgrade()
        for email in ("anna@kring.test", "bram@kring.test"):
            user = new_staff_user(email, email[:4].title(), "therapist", PASSWORD)
            user.totp_secret = pyotp.random_base32()
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()
    with redis_server.server() as redis_url:
        port = _free_port()
        env = dict(
            os.environ,
            ROM_DATABASE_URL=database,
            ROM_SECRET_KEY="test-shared-limits",
            ROM_RATELIMIT_STORAGE_URI=redis_url,
            ROM_QUESTIONNAIRE_RATE_LIMIT="5 per minute",
        )
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", "2"),
                *("-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"),
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            redis_server.wait_for_port(port)
            yield f"http://127.0.0.1:{port}", redis_url
        finally:
            server.terminate()
            server.wait(timeout=30)


def stored_keys(redis_url: str, part: str) -> list[str]:
    keys = redis.Redis.from_url(redis_url).keys("*")
    return [key.decode() for key in keys if part in key.decode()]


def test_wrong_passwords_are_counted_once_across_workers(served) -> None:
    base, redis_url = served
    statuses = [
        Browser(base).post_form("/staff/login", {"email": "anna@kring.test", "password": "no"})[0]
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert stored_keys(redis_url, "login-account-address:anna@kring.test")


def test_wrong_codes_are_counted_once_across_workers(served) -> None:
    base, redis_url = served
    statuses = []
    for _ in range(6):
        visitor = Browser(base)
        visitor.post_form("/staff/login", {"email": "bram@kring.test", "password": PASSWORD})
        statuses.append(visitor.post_form("/staff/login/code", {"code": "000000"})[0])
    assert statuses == [200] * 5 + [429]
    assert stored_keys(redis_url, "second-factor:")


def test_the_questionnaire_limit_is_counted_once_across_workers(served) -> None:
    base, redis_url = served
    replies = [Browser(base).request("/q/" + "x" * 43) for _ in range(6)]
    assert [status for status, _, _ in replies] == [404] * 5 + [429]
    assert int(replies[-1][1]["Retry-After"]) > 0
    assert stored_keys(redis_url, "q-address")

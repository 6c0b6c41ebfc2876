"""A staff member's session in the test client: the CSRF key a staff form hands out, and a
login with it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.personas import PASSWORD


def csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    return client.post(
        "/staff/login",
        data={"csrf_token": csrf(client, "/staff/login"), "email": email, "password": password},
    )

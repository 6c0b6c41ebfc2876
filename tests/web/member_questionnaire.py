"""The member's questionnaire pages in the test client: the CSRF key a page hands out, a page
posted with answers, and PHQ-9 answers that pass (no critical answer)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PHQ_OK: dict[str, str] = {f"item-{n}": "1" for n in range(1, 10)} | {"item-9": "0"}


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post_page(
    client: FlaskClient, token: str, page: int, answers: dict[str, str], action: str = "next"
) -> TestResponse:
    form = client.get(f"/q/{token}?page={page}").get_data(as_text=True)
    return client.post(
        f"/q/{token}",
        data={"csrf_token": csrf_of(form), "page": str(page), "action": action, **answers},
    )

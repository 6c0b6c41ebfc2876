"""The staff pages' language in the test client: the switch kept on the account, and a page
rendered as production renders it."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.staff_session import csrf


def fresh(app: Flask, client: FlaskClient, path: str) -> str:
    """A page in its own application context, as in production (the test fixture keeps one
    context open, and Flask-Babel keeps the locale it chose in it)."""
    with app.app_context():
        return client.get(path).get_data(as_text=True)


def switch(client: FlaskClient, language: str, page: str = "/staff/groups") -> TestResponse:
    return client.post(
        "/staff/language",
        data={"csrf_token": csrf(client, page), "language": language, "next": page},
    )

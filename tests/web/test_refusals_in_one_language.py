"""A refusal from a service reaches its reader in one language: on a staff page, in a flash
(kept in the session cookie across a redirect), in the API's problem details (by the caller's
Accept-Language) and on the command line (English, like the commands' own words). Never Dutch
and English side by side, and never the Dutch where the reader chose English."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import LinkPurpose, Role
from rom.services import accounts
from tests.api_tokens import bearer
from tests.factories import make_group, make_session
from tests.personas import PASSWORD, cast
from tests.staff_session import csrf, log_in
from tests.web.staff_forms import group_form
from tests.web.staff_language import switch

LANGUAGES = pytest.mark.parametrize("language", ["nl", "en"])
GROUP_CODE_TAKEN = {
    "nl": "Er is al een groep met deze code.",
    "en": "A group with this code exists.",
}
WRONG_LOGIN = {"nl": "E-mailadres of wachtwoord klopt niet.", "en": "E-mail or password is wrong."}
TOO_SHORT = {
    "nl": "Kies een wachtwoord van ten minste 12 tekens",
    "en": "Choose a password of at least 12 characters",
}
NOT_PLANNED = {
    "nl": "Alleen een geplande sessie kan vervallen.",
    "en": "Only a planned session can be cancelled.",
}
AFTER_THE_LAST = {
    "nl": "Een extra sessie komt na de laatste.",
    "en": "An extra session comes after the last.",
}


def says_only(text: str, message: dict[str, str], language: str) -> None:
    """The message stands in the reader's language, and its other language is nowhere."""
    other = "en" if language == "nl" else "nl"
    assert message[language] in text
    assert message[other] not in text


@dataclass(frozen=True)
class Planned:
    group_id: int
    session_id: int  # the group's one session, on 2 March 2026


@pytest.fixture
def planned(app: Flask) -> Planned:
    people = cast()
    group = make_group("GA", therapists=(people.anna,), name="Groep A")
    session = make_session(group, 1)
    db.session.commit()
    return Planned(group.id, session.id)


def signed_in(app: Flask, language: str) -> FlaskClient:
    client = app.test_client()
    log_in(client, "anna@kring.test")
    switch(client, language)
    return client


@LANGUAGES
def test_a_refused_group_is_named_in_the_page_language(
    app: Flask, planned: Planned, language: str
) -> None:
    client = signed_in(app, language)
    with app.app_context():  # each request in its own context, as in production
        refused = client.post("/staff/groups/new", data=group_form(client, code="GA"))
    assert refused.status_code == 422
    says_only(refused.get_data(as_text=True), GROUP_CODE_TAKEN, language)


LOG_IN_FIRST = {"nl": "Log in om deze pagina te zien.", "en": "Log in to see this page."}


@LANGUAGES
def test_a_page_that_needs_a_login_says_so_in_the_browser_language(
    app: Flask, language: str
) -> None:
    with app.app_context():
        sent_to_login = app.test_client().get(
            "/staff/flags", headers={"Accept-Language": language}, follow_redirects=True
        )
    page = sent_to_login.get_data(as_text=True)
    says_only(page, LOG_IN_FIRST, language)
    assert "Please log in to access this page." not in page  # Flask-Login's own English


@LANGUAGES
def test_a_wrong_password_is_named_in_the_browser_language(
    app: Flask, planned: Planned, language: str
) -> None:
    client = app.test_client()
    with app.app_context():
        refused = client.post(
            "/staff/login",
            data={
                "csrf_token": csrf(client, "/staff/login"),
                "email": "anna@kring.test",
                "password": PASSWORD + "!",
            },
            headers={"Accept-Language": language},
        )
    says_only(refused.get_data(as_text=True), WRONG_LOGIN, language)


@LANGUAGES
def test_a_too_short_password_is_named_in_the_browser_language(
    app: Flask, planned: Planned, language: str
) -> None:
    user = accounts.add_account("nieuw@kring.test", "Nieuw", Role.THERAPIST)
    path = f"/staff/account/{accounts.issue_link(user, LinkPurpose.SETUP)}"
    db.session.commit()
    client = app.test_client()
    with app.app_context():
        refused = client.post(
            path,
            data={"csrf_token": csrf(client, path), "password": "kort", "repeat": "kort"},
            headers={"Accept-Language": language},
        )
    assert refused.status_code == 422
    says_only(refused.get_data(as_text=True), TOO_SHORT, language)


@LANGUAGES
def test_a_refusal_flashed_across_a_redirect_keeps_the_page_language(
    app: Flask, planned: Planned, language: str
) -> None:
    client = signed_in(app, language)
    path = f"/staff/sessions/{planned.session_id}/cancel"
    sessions_page = f"/staff/groups/{planned.group_id}/sessions"
    for _attempt in range(2):  # the second finds the session cancelled already
        with app.app_context():
            refused = client.post(
                path, data={"csrf_token": csrf(client, sessions_page)}, follow_redirects=True
            )
    says_only(refused.get_data(as_text=True), NOT_PLANNED, language)


@pytest.mark.parametrize(("header", "language"), [({}, "nl"), ({"Accept-Language": "en"}, "en")])
def test_an_api_refusal_is_in_the_callers_language(
    app: Flask, planned: Planned, header: dict[str, str], language: str
) -> None:
    headers = bearer() | header
    before_the_last = {"date": "2026-02-01", "time": "10:00:00"}
    with app.app_context():
        refused = app.test_client().post(
            f"/api/v1/groups/{planned.group_id}/sessions", json=before_the_last, headers=headers
        )
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["detail"] == AFTER_THE_LAST[language]


def test_a_refusal_on_the_command_line_is_in_english(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["rom", "staff", "add", "geen-adres"])
    assert result.exit_code != 0
    assert "Enter a valid e-mail address." in result.output
    assert "Vul een" not in result.output


NO_SESSIONS = {"nl": "Vul het aantal sessies in.", "en": "Enter the number of sessions."}
NO_DATE = {"nl": "Kies een datum.", "en": "Choose a date."}


@LANGUAGES
def test_a_form_sent_empty_asks_for_each_field_in_the_page_language(
    app: Flask, planned: Planned, language: str
) -> None:
    client = signed_in(app, language)
    with app.app_context():
        form = {"csrf_token": csrf(client, "/staff/groups/new")}
        refused = client.post("/staff/groups/new", data=form)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    says_only(text, NO_SESSIONS, language)
    says_only(text, NO_DATE, language)

"""Dutch first, English second: the staff pages speak the user's language, the switch is kept on
the account (so it follows them to another device), and before login the browser's preference
or the last choice decides."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import StaffUser
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in
from tests.web.staff_language import fresh, switch


@pytest.fixture
def group(app: Flask):
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    make_member(group, "MA1")
    make_session(group, 1)
    db.session.commit()
    return group


def test_dutch_by_default_and_english_after_switching_kept_on_the_account(
    app: Flask, group
) -> None:
    client = app.test_client()
    log_in(client, "anna@kring.test")
    page = client.get("/staff/groups").get_data(as_text=True)
    assert "<h1>Groepen</h1>" in page
    assert 'lang="nl"' in page
    assert switch(client, "en").status_code == 302
    page = fresh(app, client, "/staff/groups")
    assert "<h1>Groups</h1>" in page
    assert ">Log out<" in page
    session = fresh(app, client, f"/staff/groups/{group.id}/sessions")
    attendance = re.search(r'href="(/staff/sessions/\d+/attendance)"', session).group(1)
    buttons = fresh(app, client, attendance)
    assert all(word in buttons for word in ("Present", "Absent", "Excused"))
    db.session.expire_all()
    anna = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "anna@kring.test"))
    assert anna.language == "en"
    elsewhere = app.test_client()  # another device: the account remembers
    with app.app_context():
        log_in(elsewhere, "anna@kring.test")
    assert "<h1>Groups</h1>" in fresh(app, elsewhere, "/staff/groups")


def test_before_login_the_browser_preference_decides(
    app: Flask, client: FlaskClient, group
) -> None:
    with app.app_context():
        english = client.get("/staff/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
        assert 'lang="en"' in english.get_data(as_text=True)
    with app.app_context():
        dutch = client.get("/staff/login", headers={"Accept-Language": "nl-NL"})
        assert 'lang="nl"' in dutch.get_data(as_text=True)


def test_an_unknown_language_is_refused(client: FlaskClient, group) -> None:
    log_in(client, "anna@kring.test")
    assert switch(client, "fr").status_code == 400


def test_refusals_from_services_come_in_the_readers_language(app: Flask, group) -> None:
    client = app.test_client()
    log_in(client, "anna@kring.test")
    switch(client, "en")
    path = f"/staff/groups/{group.id}/members/new"
    with app.app_context():
        form = {
            "csrf_token": csrf(client, path),
            "code": "MA9",
            "first_name": "Noor",
            "email": "",
            "phone": "",
            "language": "nl",
        }
        page = client.post(path, data=form).get_data(as_text=True)
    assert "Enter an e-mail address or a mobile number" in page
    assert "Vul een e-mailadres" not in page
    assert "Not saved: correct the marked fields." in page

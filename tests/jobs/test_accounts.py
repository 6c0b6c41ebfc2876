"""From an empty install to working accounts: the first administrator from the command line, its
one-time link, invitations by e-mail (a real SMTP server), roles and groups, resets and
deactivation that end sessions at once, the last administrator kept, "forgot password" that
reveals nothing, and every change audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import AuditEvent, OutboxMessage, Role, StaffUser, utcnow
from rom.services import accounts
from tests.factories import make_group
from tests.jobs.conftest import Mailbox
from tests.staff_session import csrf, log_in

NEW_PASSWORD = "zomer aan zee in Zandvoort"


def first_admin(app: Flask) -> str:
    """`flask rom staff add` on an empty database; returns the printed link's path."""
    result = app.test_cli_runner().invoke(
        args=["rom", "staff", "add", "beheer@kliniek.test", "--role", "admin", "--name", "Bea"]
    )
    assert result.exit_code == 0, result.output
    return re.search(r"http://kring\.test(/staff/account/\S+)", result.output).group(1)


def choose_password(client: FlaskClient, path: str, password: str, repeat: str | None = None):
    return client.post(
        path,
        data={"csrf_token": csrf(client, path), "password": password, "repeat": repeat or password},
    )


def test_the_first_administrator_starts_from_the_command_line(app: Flask) -> None:
    path = first_admin(app)
    again = app.test_cli_runner().invoke(args=["rom", "staff", "add", "BEHEER@kliniek.test"])
    assert "already has an account; nothing was changed" in again.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffUser)) == 1
    client = app.test_client()
    assert log_in(client, "beheer@kliniek.test", "").status_code == 200  # no password yet
    weak = choose_password(client, path, "welkom123456")
    assert weak.status_code == 422
    assert "gelekte wachtwoorden" in weak.get_data(as_text=True)
    assert choose_password(client, path, NEW_PASSWORD, "anders").status_code == 422
    done = choose_password(client, path, NEW_PASSWORD)
    assert done.status_code == 302
    assert client.get("/staff/accounts").status_code == 200  # logged in as the admin
    assert app.test_client().get(path).status_code == 410  # the link is spent
    listed = app.test_cli_runner().invoke(args=["rom", "staff", "list"]).output
    assert "beheer@kliniek.test\tBea\tadmin\tno-2fa\tactive" in listed


def test_a_link_expires_after_24_hours(app: Flask) -> None:
    with time_machine.travel(utcnow(), tick=False) as clock:
        path = first_admin(app)
        clock.shift(timedelta(hours=24, seconds=1))
        assert app.test_client().get(path).status_code == 410


def test_where_a_second_factor_is_required_the_link_leads_to_enrolment(app: Flask) -> None:
    path = first_admin(app)
    app.config["REQUIRE_SECOND_FACTOR"] = True
    try:
        done = choose_password(app.test_client(), path, NEW_PASSWORD)
        assert done.headers["Location"].endswith("/staff/login/enrol")
    finally:
        app.config["REQUIRE_SECOND_FACTOR"] = False


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    client = app.test_client()
    choose_password(client, first_admin(app), NEW_PASSWORD)
    return client


def invite(admin: FlaskClient, email: str, role: str = "therapist"):
    return admin.post(
        "/staff/accounts/new",
        data={
            "csrf_token": csrf(admin, "/staff/accounts/new"),
            "email": email,
            "name": "Tom",
            "roles": role,
        },
    )


def test_an_invited_therapist_gets_the_link_by_e_mail_and_sets_a_password(
    app: Flask, admin: FlaskClient, mailbox: Mailbox
) -> None:
    mailbox.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none")
    try:
        assert invite(admin, "tom@kliniek.test").status_code == 302
        deliver_due(configured_senders(app.config))
    finally:
        app.config.update(SMTP_HOST="")
    (mail,) = mailbox.messages
    assert mail["To"] == "tom@kliniek.test"
    path = re.search(r"http://kring\.test(/staff/account/\S+)", mail.get_payload()).group(1)
    stored = db.session.scalar(
        sa.select(OutboxMessage.body).where(OutboxMessage.purpose == "account")
    )
    assert path.rsplit("/", 1)[1] not in stored  # the link lives on only in the inbox
    tom = app.test_client()
    assert choose_password(tom, path, "de kat krabt de krullen van de trap").status_code == 302
    assert tom.get("/staff/groups").status_code == 200
    assert tom.get("/staff/accounts").status_code == 403
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "invite"))
    assert event.detail == {"roles": ["therapist"]}


def account_id(email: str) -> int:
    return db.session.scalar(sa.select(StaffUser.id).where(StaffUser.email == email))


def act(admin: FlaskClient, email: str, action: str):
    path = f"/staff/accounts/{account_id(email)}"
    return admin.post(f"{path}/{action}", data={"csrf_token": csrf(admin, path)})


def test_roles_and_groups_change_and_every_change_is_audited(
    app: Flask, admin: FlaskClient
) -> None:
    invite(admin, "tom@kliniek.test")
    group = make_group("GA", name="Groep A")
    db.session.commit()
    path = f"/staff/accounts/{account_id('tom@kliniek.test')}"
    saved = admin.post(
        path, data={"csrf_token": csrf(admin, path), "roles": "therapist", "groups": group.id}
    )
    assert saved.status_code == 302
    assert "Groep A" in admin.get("/staff/accounts").get_data(as_text=True)
    change = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "change"))
    assert change.detail == {
        "before": [["therapist"], [], False],
        "after": [["therapist"], [group.id], False],
    }
    assert change.subject_id == str(account_id("tom@kliniek.test"))


def test_the_last_administrator_cannot_be_removed_or_demoted(
    app: Flask, admin: FlaskClient
) -> None:
    me = account_id("beheer@kliniek.test")
    path = f"/staff/accounts/{me}"
    demoted = admin.post(path, data={"csrf_token": csrf(admin, path), "roles": "manager"})
    assert demoted.status_code == 422
    assert "laatste actieve beheerder" in demoted.get_data(as_text=True)
    act(admin, "beheer@kliniek.test", "deactivate")
    assert db.session.get(StaffUser, me).active
    result = app.test_cli_runner().invoke(
        args=["rom", "staff", "deactivate", "beheer@kliniek.test"]
    )
    assert result.exit_code != 0
    assert "last active administrator" in result.output
    assert db.session.get(StaffUser, me).roles == {Role.ADMIN}


def test_deactivation_and_resets_end_every_session_at_once(app: Flask, admin: FlaskClient) -> None:
    invite(admin, "tom@kliniek.test")
    tom = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "tom@kliniek.test"))
    for action in ("reset_second_factor", "reset_password", "deactivate"):
        tom_desk = app.test_client()
        db.session.get(StaffUser, tom.id).password_hash = accounts.hash_password(NEW_PASSWORD)
        db.session.commit()  # a reset took the password away: give it back for the next round
        log_in(tom_desk, "tom@kliniek.test", NEW_PASSWORD)
        assert tom_desk.get("/staff/groups").status_code == 200
        assert act(admin, "tom@kliniek.test", action).status_code == 302
        assert tom_desk.get("/staff/groups").status_code == 302, action
    assert log_in(app.test_client(), "tom@kliniek.test", NEW_PASSWORD).status_code == 200
    history = admin.get("/staff/audit?actor=tom").get_data(as_text=True)
    assert "login" in history  # the account's audit history stays readable
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.subject_id == str(tom.id))
    ).all()
    assert {"reset_second_factor", "reset_password", "deactivate"} <= set(actions)


def test_a_password_reset_stops_the_old_password_and_sends_a_link(
    app: Flask, admin: FlaskClient
) -> None:
    invite(admin, "tom@kliniek.test")
    tom = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "tom@kliniek.test"))
    tom.password_hash = accounts.hash_password(NEW_PASSWORD)
    db.session.commit()
    act(admin, "tom@kliniek.test", "reset_password")
    assert log_in(app.test_client(), "tom@kliniek.test", NEW_PASSWORD).status_code == 200
    links = db.session.scalars(
        sa.select(OutboxMessage.body).where(OutboxMessage.recipient == "tom@kliniek.test")
    ).all()
    assert len(links) == 2  # the invitation and the reset
    assert "nieuw wachtwoord" in links[-1]


def test_forgot_password_says_the_same_whether_or_not_the_account_exists(
    app: Flask, admin: FlaskClient
) -> None:
    pages = []
    for email in ("beheer@kliniek.test", "niemand@kliniek.test"):
        visitor = app.test_client()
        reply = visitor.post(
            "/staff/login/forgot",
            data={"csrf_token": csrf(visitor, "/staff/login/forgot"), "email": email},
        )
        pages.append(re.sub(r'value="[^"]+"', "", reply.get_data(as_text=True)))
    assert pages[0] == pages[1]
    recipients = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.purpose == "account")
    ).all()
    assert recipients == ["beheer@kliniek.test"]


def test_where_the_organisation_limits_it_only_intake_staff_work_the_waiting_list(
    app: Flask, admin: FlaskClient
) -> None:
    invite(admin, "tom@kliniek.test")
    tom = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "tom@kliniek.test"))
    tom.password_hash = accounts.hash_password(NEW_PASSWORD)
    db.session.commit()
    therapist = app.test_client()
    log_in(therapist, "tom@kliniek.test", NEW_PASSWORD)
    assert therapist.get("/staff/waiting-list").status_code == 200  # the default: every therapist
    app.config["INTAKE_ACCESS"] = "intake"
    try:
        assert therapist.get("/staff/waiting-list").status_code == 403
        assert "Wachtlijst" not in therapist.get("/staff/groups").get_data(as_text=True)
        path = f"/staff/accounts/{tom.id}"
        admin.post(
            path,
            data={"csrf_token": csrf(admin, path), "roles": "therapist", "intake": "y"},
        )
        assert therapist.get("/staff/waiting-list").status_code == 200
        change = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "change")
        ).all()[-1]
        assert change.detail["after"][2] is True
    finally:
        app.config["INTAKE_ACCESS"] = "therapists"


def test_one_account_holds_several_roles_and_the_last_administrator_keeps_hers(
    app: Flask, admin: FlaskClient
) -> None:
    invite(admin, "tom@kliniek.test")
    path = f"/staff/accounts/{account_id('tom@kliniek.test')}"
    both = {"csrf_token": csrf(admin, path), "roles": ["therapist", "manager"]}
    assert admin.post(path, data=both).status_code == 302
    tom = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "tom@kliniek.test"))
    assert tom.roles == {Role.THERAPIST, Role.MANAGER}
    assert "behandelaar, manager" in admin.get("/staff/accounts").get_data(as_text=True)
    none = admin.post(path, data={"csrf_token": csrf(admin, path)})
    assert none.status_code == 422
    assert "ten minste één rol" in none.get_data(as_text=True)
    db.session.expire_all()
    assert tom.roles == {Role.THERAPIST, Role.MANAGER}
    me = f"/staff/accounts/{account_id('beheer@kliniek.test')}"
    treats = {"csrf_token": csrf(admin, me), "roles": ["admin", "therapist"]}
    assert admin.post(me, data=treats).status_code == 302
    dropped = admin.post(me, data={"csrf_token": csrf(admin, me), "roles": ["therapist"]})
    assert dropped.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(
        sa.select(StaffUser).where(StaffUser.email == "beheer@kliniek.test")
    ).roles == {Role.ADMIN, Role.THERAPIST}


def test_the_command_line_grants_several_roles(app: Flask) -> None:
    made = app.test_cli_runner().invoke(
        args=["rom", "staff", "add", "lid@kliniek.test", "--role", "therapist", "--role", "manager"]
    )
    assert made.exit_code == 0, made.output
    assert "(manager,therapist)" in made.output
    listed = app.test_cli_runner().invoke(args=["rom", "staff", "list"]).output
    assert "lid@kliniek.test\tlid\tmanager,therapist\t" in listed

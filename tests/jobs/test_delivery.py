"""Messages leave through the outbox to a real SMTP server, once, and wait while it is down."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from rom.extensions import db
from rom.messaging.delivery import MAX_ATTEMPTS, deliver_due
from rom.messaging.senders import configured_senders
from rom.models import (
    Attendance,
    AttendanceStatus,
    Client,
    Invitation,
    OutboxMessage,
    OutboxStatus,
)
from rom.services.planning import plan_invitations
from tests.factories import make_group, make_member, make_session
from tests.jobs.conftest import Mailbox

SESSION_START = datetime(2026, 3, 9, 9, 0)  # UTC; 10:00 in Amsterdam
PLANNED_AT = SESSION_START - timedelta(days=2)
SEND_TIME = SESSION_START + timedelta(hours=3)  # sent two hours after the start


@pytest.fixture
def group_with_session(app: Flask) -> None:
    group = make_group()
    make_member(group, "M1", language="nl")
    make_member(group, "M2", language="en")
    make_session(group, 1, start=SESSION_START)
    db.session.commit()


@pytest.fixture
def sender(app: Flask, mailbox: Mailbox):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none")
    yield configured_senders(app.config)
    app.config.update(SMTP_HOST="")


def outbox(purpose: str = "invitation") -> list[OutboxMessage]:
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose).order_by(OutboxMessage.id)
    ).all()


def test_invitations_arrive_in_the_members_language_with_a_working_link(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    mailbox.start()
    assert plan_invitations(PLANNED_AT) == 2
    assert deliver_due(sender, PLANNED_AT).sent == 0  # not due before its send time
    assert deliver_due(sender, SEND_TIME).sent == 2
    by_recipient = {m["To"]: m for m in mailbox.messages}
    assert set(by_recipient) == {"m1@example.org", "m2@example.org"}
    dutch = by_recipient["m1@example.org"].get_payload(decode=True).decode()
    english = by_recipient["m2@example.org"].get_payload(decode=True).decode()
    assert "Vaardigheden A op 09-03-2026 10:00" in dutch
    assert "for the Vaardigheden A session" in english  # sent after it: never "before"
    assert "PHQ" not in dutch
    assert "Sanne" not in dutch
    path = re.search(r"http://kring\.test(/q/[A-Za-z0-9_-]+)", dutch).group(1)
    with time_machine.travel(SEND_TIME + timedelta(hours=2), tick=False):
        page = app.test_client().get(path)
    assert page.status_code == 200
    assert "PHQ-9" in page.get_data(as_text=True)
    assert all("/q/[sent]" in m.body for m in outbox())  # the token left the database


DUTCH_WORDS = ("Hallo", "vragenlijst", "bijeenkomst", "herinnering", "persoonlijk", " op ")
ENGLISH_WORDS = ("Hello", "questionnaire", "session", "reminder", "personal", " on ")


def test_invitations_and_reminders_speak_only_the_members_language_and_never_say_before(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    """The questionnaires ask about the session that has just been, so no text says "before the
    session"; each member reads one language, subject and body."""
    mailbox.start()
    plan_invitations(PLANNED_AT)
    for moment in sorted({m.next_attempt_at for m in outbox() + outbox("reminder")}):
        deliver_due(sender, moment)  # the invitations, then the reminders
    assert len(mailbox.messages) == 4
    for message in mailbox.messages:
        text = message["Subject"] + "\n" + message.get_payload(decode=True).decode()
        dutch = message["To"] == "m1@example.org"
        own, other = (DUTCH_WORDS, ENGLISH_WORDS) if dutch else (ENGLISH_WORDS, DUTCH_WORDS)
        assert any(w in text for w in own), text
        assert not any(w in text for w in other), text
        assert "before" not in text.lower()


def test_planning_twice_invites_and_sends_once(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    mailbox.start()
    plan_invitations(PLANNED_AT)
    assert plan_invitations(PLANNED_AT + timedelta(hours=1)) == 0
    deliver_due(sender, SEND_TIME)
    deliver_due(sender, SEND_TIME + timedelta(hours=1))
    assert len(mailbox.messages) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invitation)) == 2


def test_messages_wait_while_the_server_is_down_and_go_when_it_is_back(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    plan_invitations(PLANNED_AT)
    report = deliver_due(sender, SEND_TIME)
    assert (report.sent, report.retried) == (0, 2)
    assert all(m.status == OutboxStatus.PENDING and m.attempts == 1 for m in outbox())
    assert "ConnectionRefusedError" in outbox()[0].last_error
    mailbox.start()
    assert deliver_due(sender, SEND_TIME + timedelta(seconds=30)).sent == 0  # backing off
    assert deliver_due(sender, SEND_TIME + timedelta(hours=1)).sent == 2
    assert len(mailbox.messages) == 2


def test_a_message_that_never_gets_through_is_reported_failed(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    plan_invitations(PLANNED_AT)
    moment = SEND_TIME
    for _ in range(MAX_ATTEMPTS):
        deliver_due(sender, moment)
        moment += timedelta(hours=1)  # past each backoff, within the link's lifetime
    assert [m.status for m in outbox()] == [OutboxStatus.FAILED] * 2
    assert deliver_due(sender, moment).failed == 0  # reported once, not retried forever


def test_a_message_the_mail_library_refuses_is_retried_and_the_others_still_go(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    """An address with a line break in it (a header injection, say from an import) makes the
    mail library refuse the message before it is sent: it is recorded as a failed try with its
    reason, and the other member's message still arrives."""
    client = db.session.scalar(sa.select(Client).where(Client.code == "M2"))
    client.email = "m2@example.org\nBcc: someone@example.net"
    db.session.commit()
    mailbox.start()
    plan_invitations(PLANNED_AT)
    report = deliver_due(sender, SEND_TIME)
    assert (report.sent, report.retried) == (1, 1)
    assert [m["To"] for m in mailbox.messages] == ["m1@example.org"]
    refused = next(m for m in outbox() if m.status == OutboxStatus.PENDING)
    assert (refused.attempts, refused.last_error) == (1, "unexpected: ValueError")


def test_without_smtp_settings_messages_stay_in_the_outbox(app: Flask, group_with_session) -> None:
    plan_invitations(PLANNED_AT)
    assert configured_senders(app.config) == {}
    assert deliver_due({}, SEND_TIME).sent == 0
    assert [m.status for m in outbox()] == [OutboxStatus.PENDING] * 2


def test_a_reminder_goes_to_members_who_have_not_answered_and_not_to_those_who_did(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    mailbox.start()
    plan_invitations(PLANNED_AT)
    deliver_due(sender, SEND_TIME)
    answered = db.session.scalar(sa.select(Invitation).order_by(Invitation.id))
    answered.completed_at = SEND_TIME + timedelta(hours=1)
    db.session.commit()
    report = deliver_due(sender, SEND_TIME + timedelta(hours=21))
    assert (report.sent, report.cancelled) == (1, 1)
    reminders = [
        m for m in mailbox.messages if "herinnering" in m["Subject"] or "reminder" in m["Subject"]
    ]
    assert [m["To"] for m in reminders] == ["m2@example.org"]
    assert [m.status for m in outbox("reminder")] == [OutboxStatus.CANCELLED, OutboxStatus.SENT]
    assert all("/q/[" in m.body for m in outbox("reminder"))  # no token left either way


def test_no_message_goes_out_that_would_only_ask_about_a_missed_session(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    mailbox.start()
    plan_invitations(PLANNED_AT)
    for invitation in db.session.scalars(sa.select(Invitation).order_by(Invitation.id)):
        invitation.instrument_ids = ["gcq_s"]  # a battery asking only about the session
        status = "absent" if invitation.membership.client.code == "M1" else "present"
        db.session.add(
            Attendance(
                session_id=invitation.session_id,
                membership_id=invitation.membership_id,
                status=AttendanceStatus(status),
            )
        )
    db.session.commit()
    report = deliver_due(sender, SEND_TIME)
    assert (report.sent, report.cancelled) == (1, 1)
    assert [m["To"] for m in mailbox.messages] == ["m2@example.org"]
    cancelled = [m for m in outbox() if m.status == OutboxStatus.CANCELLED]
    assert [m.recipient for m in cancelled] == ["m1@example.org"]
    assert "/q/[cancelled]" in cancelled[0].body


def test_every_message_has_a_stable_message_id(
    app: Flask, group_with_session, mailbox: Mailbox, sender
) -> None:
    mailbox.start()
    plan_invitations(PLANNED_AT)
    deliver_due(sender, SEND_TIME)
    ids = sorted(m["Message-ID"] for m in mailbox.messages)
    assert ids == sorted(
        f"<invitation.{i.membership_id}.{i.session_id}.{i.battery_id}@kring>"
        for i in db.session.scalars(sa.select(Invitation))
    )


def test_the_demo_console_shows_messages_with_their_links(
    app: Flask, group_with_session, capsys: pytest.CaptureFixture
) -> None:
    app.config["CONSOLE_MESSAGES"] = True
    try:
        plan_invitations(PLANNED_AT)
        assert deliver_due(configured_senders(app.config), SEND_TIME).sent == 2
    finally:
        app.config["CONSOLE_MESSAGES"] = False
    printed = capsys.readouterr().out
    assert printed.count("--- message <invitation.") == 2
    assert "http://kring.test/q/" in printed

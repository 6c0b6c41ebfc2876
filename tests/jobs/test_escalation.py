"""A critical flag nobody acts on is escalated by e-mail (real SMTP on loopback): after the
organisation's hours to the group's therapists, co-therapist included, after twice that to the
named backup; once each, never after an action was recorded, and shown on the flag list."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import AuditEvent, Flag, FlagAction, OutboxMessage
from rom.services.escalation import escalate_overdue_critical_flags
from tests.factories import make_critical_flag, make_group, make_member
from tests.jobs.conftest import Mailbox
from tests.personas import cast
from tests.staff_session import log_in

BACKUP = "achterwacht@kliniek.test"


@pytest.fixture
def critical(app: Flask) -> Flag:
    team = cast()
    team.bram.language = "en"
    group = make_group("GA", therapists=(team.anna, team.bram), name="Groep A")
    member = make_member(group, "MA1")
    flag = make_critical_flag(member)
    db.session.commit()
    app.config.update(CRITICAL_ACTION_HOURS=24, CRITICAL_BACKUP_EMAIL=BACKUP)
    yield flag
    app.config.update(CRITICAL_BACKUP_EMAIL="")


def escalation_mail() -> list[tuple[str, str]]:
    return db.session.execute(
        sa.select(OutboxMessage.recipient, OutboxMessage.subject)
        .where(OutboxMessage.purpose == "escalation")
        .order_by(OutboxMessage.id)
    ).all()


def test_an_overdue_critical_flag_goes_to_both_therapists_then_the_backup(
    app: Flask, critical: Flag, mailbox: Mailbox
) -> None:
    raised = critical.raised_at
    assert escalate_overdue_critical_flags(raised + timedelta(hours=23)) == 0
    assert escalate_overdue_critical_flags(raised + timedelta(hours=25)) == 2
    assert escalate_overdue_critical_flags(raised + timedelta(hours=26)) == 0  # once
    assert escalation_mail() == [
        ("anna@kring.test", "Kring: een kritiek signaal wacht al te lang op actie"),
        ("bram@kring.test", "Kring: a critical flag has waited too long for action"),
    ]
    assert escalate_overdue_critical_flags(raised + timedelta(hours=49)) == 1
    assert escalation_mail()[-1][0] == BACKUP
    mailbox.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none")
    try:
        deliver_due(configured_senders(app.config))
    finally:
        app.config.update(SMTP_HOST="")
    received = {mail["To"]: mail.get_payload() for mail in mailbox.messages}
    assert set(received) == {"anna@kring.test", "bram@kring.test", BACKUP}
    assert "MA1" not in " ".join(received.values())  # no code or name leaves the building
    assert "http://kring.test/staff/flags" in received[BACKUP]
    steps = db.session.scalars(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "escalate")
    ).all()
    assert [s["step"] for s in steps] == ["therapists", "therapists", "backup"]


def test_an_action_recorded_in_time_stops_the_escalation(app: Flask, critical: Flag) -> None:
    critical.acknowledged_at = critical.raised_at + timedelta(hours=2)
    critical.action = FlagAction.CONTACT
    db.session.commit()
    assert escalate_overdue_critical_flags(critical.raised_at + timedelta(hours=60)) == 0
    assert escalation_mail() == []


def test_the_flag_list_says_who_was_told_and_when(app: Flask, critical: Flag) -> None:
    escalate_overdue_critical_flags(critical.raised_at + timedelta(hours=25))
    client = app.test_client()
    with time_machine.travel(critical.raised_at + timedelta(hours=26), tick=False):
        log_in(client, "anna@kring.test")
        page = client.get("/staff/flags").get_data(as_text=True)
    assert "Te laat" in page
    assert "Opgeschaald naar de behandelaars van de groep" in page
    assert "Opgeschaald naar de achterwacht" not in page

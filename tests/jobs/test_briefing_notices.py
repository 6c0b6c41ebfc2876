"""The therapists' notice before a session: it arrives at a real SMTP server the configured number
of hours ahead, once, with the briefing's link and nothing about any member."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import Flag, FlagKind, GroupSession, OutboxMessage, Severity
from rom.services.briefings.notices import queue_briefing_notices
from tests.factories import make_group, make_member, make_session, make_therapist
from tests.jobs.conftest import Mailbox

START = datetime(2026, 3, 9, 13, 0)  # UTC


def test_the_notice_arrives_hours_before_with_the_link_and_no_health_information(
    app: Flask, mailbox: Mailbox
) -> None:
    anna = make_therapist("anna@kring.test", "Anna")
    bram = make_therapist("bram@kring.test", "Bram")
    group = make_group(therapists=(anna, bram), name="Groep Zonnebloem")
    member = make_member(group, "ZX42")
    member.client.first_name = "Marijke"
    first = make_session(group, 1, start=START - timedelta(weeks=1))
    session = make_session(group, 2, start=START)
    db.session.add(
        Flag(
            group_id=group.id,
            membership_id=member.id,
            kind=FlagKind.DETERIORATION,
            severity=Severity.HIGH,
            score=17.0,
            suggested_action="step_up",
            raised_session=first.number,
            last_session=first.number,
        )
    )
    db.session.commit()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none", BRIEFING_NOTICE_HOURS=3
    )
    mailbox.start()
    try:
        assert queue_briefing_notices(START - timedelta(hours=4)) == 0  # not yet
        assert queue_briefing_notices(START - timedelta(hours=3)) == 2  # one per therapist
        assert queue_briefing_notices(START - timedelta(hours=1)) == 0  # once
        deliver_due(configured_senders(app.config))
    finally:
        app.config.update(SMTP_HOST="")
    assert sorted(m["To"] for m in mailbox.messages) == ["anna@kring.test", "bram@kring.test"]
    body = mailbox.messages[0].get_payload(decode=True).decode()
    text = f"{mailbox.messages[0]['Subject']}\n{body}"
    assert f"/staff/sessions/{session.id}/briefing" in body
    for secret in ("Marijke", "ZX42", "Zonnebloem", "17", "Verslechtering", "verslechter"):
        assert secret not in text
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.purpose == "briefing"))
        == 2
    )


def test_no_notice_for_a_cancelled_session(app: Flask) -> None:
    group = make_group(therapists=(make_therapist(),))
    session = make_session(group, 1, start=START)
    session.status = "cancelled"
    db.session.commit()
    assert queue_briefing_notices(START - timedelta(hours=1)) == 0
    assert db.session.get(GroupSession, session.id).status.value == "cancelled"

"""Expiry cancels what is no longer useful; the daily digest tells therapists how many new
signals there are, without details, once a day."""

from datetime import datetime, timedelta

import sqlalchemy as sa
import time_machine
from flask import Flask

from rom.extensions import db
from rom.models import OutboxMessage, OutboxStatus
from rom.services.digest import queue_digests
from rom.services.expiry import cancel_messages_of_expired_invitations
from rom.services.planning import plan_invitations
from tests.factories import make_dropout_flag, make_group, make_member, make_session, make_therapist

START = datetime(2026, 3, 9, 9, 0)


def test_expired_invitations_have_their_waiting_messages_cancelled(app: Flask) -> None:
    group = make_group()
    make_member(group)
    make_session(group, 1, start=START)
    db.session.commit()
    plan_invitations(START - timedelta(days=2))
    with time_machine.travel(START + timedelta(days=3), tick=False):
        assert cancel_messages_of_expired_invitations() == 2
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert {m.status for m in messages} == {OutboxStatus.CANCELLED}
    assert all("/q/[cancelled]" in m.body for m in messages)


def test_daily_digest_counts_new_signals_without_details_once_a_day(app: Flask) -> None:
    anna = make_therapist()
    group = make_group(therapists=(anna,))
    member = make_member(group)
    with time_machine.travel(START, tick=False):
        make_dropout_flag(member, session=3)
        db.session.commit()
    with time_machine.travel(START + timedelta(hours=6), tick=False):
        assert queue_digests() == 1
        assert queue_digests() == 0  # once a day
    [digest] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert digest.recipient == "anna@kring.test"
    assert "1 nieuwe signalen" in digest.body
    assert "Sanne" not in digest.body
    assert "M1" not in digest.body
    assert "dropout" not in digest.body.lower()

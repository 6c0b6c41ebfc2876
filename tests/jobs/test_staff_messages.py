"""Every message to staff speaks its reader's language, and only that one: the daily digest,
the briefing notice, the alert after a critical answer and the escalation of an overdue flag."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
import time_machine
from flask import Flask

from rom.extensions import db
from rom.instruments import library
from rom.models import GroupSession, Membership, OutboxMessage, StaffUser
from rom.services.briefings.notices import queue_briefing_notices
from rom.services.digest import queue_digests
from rom.services.escalation import escalate_overdue_critical_flags
from rom.services.invitations import open_link
from rom.services.submissions import submit
from tests.factories import (
    make_critical_flag,
    make_dropout_flag,
    make_group,
    make_invitation,
    make_member,
    make_session,
    make_therapist,
)
from tests.member_answers import save_page

START = datetime(2026, 3, 9, 9, 0)
ENGLISH_ONLY = ("Log in to", "See them", "Read it", "hours", "your", "the ")


def _team() -> tuple[StaffUser, StaffUser]:
    anna = make_therapist()
    bram = make_therapist("bram@kring.test", "Bram")
    bram.language = "en"
    group = make_group(therapists=(anna, bram))
    member = make_member(group)
    make_session(group, 1, start=START)
    with time_machine.travel(START, tick=False):
        make_critical_flag(member, session=1)
        make_dropout_flag(member, session=1)
        db.session.commit()
    return anna, bram


def _by_recipient(purpose: str) -> dict[str, OutboxMessage]:
    messages = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.purpose == purpose))
    return {m.recipient: m for m in messages}


def _one_language(message: OutboxMessage, english: bool) -> None:
    text = f"{message.subject}\n{message.body}"
    if english:
        assert not any(word in text for word in ("Log in om", "Bekijk", "Lees hem", "uur ")), text
        assert "Kring: " in message.subject
    else:
        assert not any(word in text for word in ENGLISH_ONLY), text


def test_digest_and_briefing_notice_in_each_therapists_language(app: Flask) -> None:
    _team()
    with time_machine.travel(START + timedelta(hours=6), tick=False):
        assert queue_digests() == 2
    digests = _by_recipient("digest")
    assert "nieuwe signalen" in digests["anna@kring.test"].body
    assert "2 new signals in your groups" in digests["bram@kring.test"].body
    assert queue_briefing_notices(START - timedelta(hours=2)) == 2
    notices = _by_recipient("briefing")
    assert notices["anna@kring.test"].subject.startswith("Kring: de briefing")
    assert notices["bram@kring.test"].subject == (
        "Kring: the briefing for your next group session is ready"
    )
    for purpose in ("digest", "briefing"):
        messages = _by_recipient(purpose)
        _one_language(messages["anna@kring.test"], english=False)
        _one_language(messages["bram@kring.test"], english=True)


def test_an_overdue_critical_flag_is_escalated_in_each_therapists_language(app: Flask) -> None:
    _team()
    with time_machine.travel(START + timedelta(days=2), tick=False):
        assert escalate_overdue_critical_flags() == 2
    escalations = _by_recipient("escalation")
    assert "uur op een vastgelegde actie" in escalations["anna@kring.test"].body
    assert "hours for a recorded action" in escalations["bram@kring.test"].body
    _one_language(escalations["anna@kring.test"], english=False)
    _one_language(escalations["bram@kring.test"], english=True)
    assert "http://kring.test/staff/flags" in escalations["bram@kring.test"].body


def test_the_alert_after_a_critical_answer_is_in_each_therapists_language(app: Flask) -> None:
    anna, bram = _team()
    session = db.session.scalar(sa.select(GroupSession))
    membership = db.session.scalar(sa.select(Membership))
    _, token = make_invitation(membership, session)
    db.session.commit()
    answers = {f"item-{n}": "0" for n in range(1, 10)} | {"item-9": "3"}
    link = save_page(open_link(token), library()["phq9"], answers)
    link = save_page(link, library()["gad7"], {f"item-{n}": "0" for n in range(1, 8)})
    submit(link, library())
    db.session.commit()
    alerts = _by_recipient("alert")
    assert alerts[anna.email].subject == "Kring: een signaal vraagt direct uw aandacht"
    assert alerts[bram.email].subject == "Kring: a signal needs your attention now"
    _one_language(alerts[anna.email], english=False)
    _one_language(alerts[bram.email], english=True)

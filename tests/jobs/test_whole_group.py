"""A whole 12-week group, run in seconds on a controlled clock: every member gets one
invitation per session at the real SMTP server, answers through the link, and the flags follow
each session as soon as its questionnaires close."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import (
    AttendanceStatus,
    Flag,
    FlagKind,
    FlagStatus,
    GroupSession,
    Membership,
    Response,
)
from rom.services.attendance import record_attendance
from rom.services.closing import close_sessions
from rom.services.expiry import cancel_messages_of_expired_invitations
from rom.services.planning import plan_invitations
from tests.factories import make_group, make_member, make_session, make_therapist
from tests.jobs.conftest import Mailbox

FIRST_SESSION = datetime(2026, 3, 2, 9, 0)  # Monday 10:00 in Amsterdam
WEEKS = 12
LINK = re.compile(r"http://kring\.test(/q/[A-Za-z0-9_-]+)")


def phq_level(member: str, week: int) -> int:
    """The answer each member gives to PHQ-9 items 1-8 (item 9 always 0) in a given week."""
    if member == "IMPROVES":
        return 2 if week <= 3 else 0  # 16 at intake, 0 from week 4
    if member == "WORSENS":
        return 1 if week <= 4 else 3  # 8 at intake, 24 from week 5
    return 1


@pytest.fixture
def twelve_weeks(app: Flask, mailbox: Mailbox):
    group = make_group(therapists=(make_therapist(),), planned_sessions=WEEKS)
    for code in ("IMPROVES", "WORSENS", "SILENT"):
        make_member(group, code)
    for number in range(1, WEEKS + 1):
        make_session(group, number, start=FIRST_SESSION + timedelta(weeks=number - 1))
    db.session.commit()
    mailbox.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port, SMTP_SECURITY="none")
    yield group
    app.config.update(SMTP_HOST="")


def answer_everything(client: FlaskClient, path: str, level: int) -> None:
    """Open the link and answer every page the way a member would, then send."""
    opened = client.get(path)
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200, page
    number = 1
    while True:
        total = int(re.search(r'<progress value="\d+" max="(\d+)"', page).group(1))
        items = sorted(set(re.findall(r'name="(item-\d+)"', page)))
        if "<h1>PHQ-9" in page or "<h1>GAD-7" in page:
            values = {name: str(level) for name in items}
            values |= {"item-9": "0"} if "item-9" in values else {}
        else:  # the group climate and cohesion: the middle of each scale
            values = {name: str(_highest(page, name) // 2) for name in items}
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        action = "submit" if number == total else "next"
        reply = client.post(
            path,
            data={"csrf_token": csrf, "page": str(number), "action": action, **values},
            follow_redirects=True,
        )
        page = reply.get_data(as_text=True)
        assert reply.status_code == 200, page
        if action == "submit":
            assert "Dank u wel!" in page
            return
        number += 1


def _highest(page: str, name: str) -> int:
    return max(int(v) for v in re.findall(rf'name="{name}" value="(\d+)"', page))


def members_by_address() -> dict[str, int]:
    return {m.client.email: m.id for m in db.session.scalars(sa.select(Membership))}


def open_flags() -> set[tuple[str, FlagKind]]:
    rows = db.session.execute(
        sa.select(Membership, Flag.kind)
        .join(Flag, Flag.membership_id == Membership.id)
        .where(Flag.status == FlagStatus.OPEN)
    ).all()
    return {(membership.client.code, kind) for membership, kind in rows}


def test_a_twelve_week_group_runs_from_first_invitation_to_flags(
    app: Flask, twelve_weeks, mailbox: Mailbox
) -> None:
    senders = configured_senders(app.config)
    addresses = members_by_address()
    codes = {m.client.email: m.client.code for m in db.session.scalars(sa.select(Membership))}
    flags_by_week: dict[int, set[tuple[str, FlagKind]]] = {}
    for week in range(1, WEEKS + 1):
        start = FIRST_SESSION + timedelta(weeks=week - 1)
        session = db.session.scalar(sa.select(GroupSession).where(GroupSession.number == week))
        before = len(mailbox.messages)
        with time_machine.travel(start - timedelta(days=2), tick=False):
            plan_invitations()
        with time_machine.travel(start + timedelta(hours=1), tick=False):
            statuses = {
                addresses[a]: AttendanceStatus.ABSENT
                if codes[a] == "SILENT" and week > 3
                else AttendanceStatus.PRESENT
                for a in addresses
            }
            record_attendance(session, statuses)
            db.session.commit()
        with time_machine.travel(start + timedelta(hours=3), tick=False):
            deliver_due(senders)  # the questionnaires go out once the session is over
            this_week = mailbox.messages[before:]
            for message in this_week:
                code = codes[message["To"]]
                if code == "SILENT" and week > 3:
                    continue
                body = message.get_payload(decode=True).decode()
                with app.app_context():  # each member on their own phone: a fresh context
                    path = LINK.search(body).group(1)
                    answer_everything(app.test_client(), path, phq_level(code, week))
            everyone_answered = week <= 3
            assert (close_sessions() is not None) == everyone_answered
        with time_machine.travel(start + timedelta(hours=23), tick=False):
            deliver_due(senders)  # the reminders of those who have not answered
        with time_machine.travel(start + timedelta(hours=33), tick=False):
            cancel_messages_of_expired_invitations()  # the silent member's link expired
            assert (close_sessions() is not None) == (not everyone_answered)
            assert close_sessions() is None  # once per session
        flags_by_week[week] = open_flags()

    invitations = Counter(
        m["To"] for m in mailbox.messages if "herinnering" not in m["Subject"].lower()
    )
    assert set(invitations.values()) == {WEEKS}, "one invitation per member per session"
    reminders = Counter(m["To"] for m in mailbox.messages if "herinnering" in m["Subject"].lower())
    assert reminders == {"silent@example.org": WEEKS - 3}
    # symptoms (2) every session, climate and cohesion (2) every second session from session 2
    # in this skills group: 36 responses each for the two who answer, 8 in three weeks of silence
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 36 + 36 + 8
    assert ("WORSENS", FlagKind.DETERIORATION) not in flags_by_week[5]
    assert ("WORSENS", FlagKind.DETERIORATION) in flags_by_week[6]
    assert ("IMPROVES", FlagKind.RECOVERED) not in flags_by_week[4]  # below the cutoff once
    assert ("IMPROVES", FlagKind.RECOVERED) in flags_by_week[5]  # and again
    assert ("SILENT", FlagKind.DROPOUT_RISK) not in flags_by_week[3]
    assert ("SILENT", FlagKind.DROPOUT_RISK) in flags_by_week[5]
    assert not any(
        code == "IMPROVES" and kind != FlagKind.RECOVERED for code, kind in flags_by_week[WEEKS]
    )

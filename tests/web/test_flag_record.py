"""What was done about a flag is one record: the flag list, the member page and the briefing
show the same action, by whom and when, and the flag's state follows it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import Flag, FlagKind, Severity
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in


@pytest.fixture
def critical(app: Flask) -> Flag:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    member = make_member(group, "MA1")
    make_session(group, 1)
    make_session(group, 2)
    flag = Flag(
        group_id=group.id,
        membership_id=member.id,
        kind=FlagKind.CRITICAL_ITEM,
        severity=Severity.CRITICAL,
        reasons=[{"code": "critical_item", "value": 2.0}],
        suggested_action="contact_today",
        raised_session=1,
        last_session=1,
    )
    db.session.add(flag)
    db.session.commit()
    return flag


def test_an_action_reads_the_same_everywhere_with_who_and_when(
    client: FlaskClient, critical: Flag
) -> None:
    log_in(client, "anna@kring.test")
    member_page = f"/staff/members/{critical.membership_id}"
    before = client.get(member_page).get_data(as_text=True)
    assert "open: nog niets vastgelegd" in before
    client.post(
        f"/staff/flags/{critical.id}/acknowledge",
        data={"csrf_token": csrf(client, "/staff/flags"), "action": "contact", "note": "Gebeld."},
    )
    done = re.compile(r"Contact opgenomen of gepland \(Anna, \d\d-\d\d-\d{4} \d\d:\d\d\)")
    pages = {
        "member": client.get(member_page).get_data(as_text=True),
        "flags": client.get("/staff/flags").get_data(as_text=True),
        "briefing": client.get(_briefing_path(critical)).get_data(as_text=True),
    }
    for name, page in pages.items():
        assert done.search(page), name
    assert "opgevolgd" in pages["member"]
    assert "open: nog niets vastgelegd" not in pages["member"]
    assert "Gedaan: Voor de volgende sessie contact opnemen" not in pages["member"]


def _briefing_path(flag: Flag) -> str:
    from rom.models import GroupSession

    session = db.session.scalar(
        sa.select(GroupSession).where(
            GroupSession.group_id == flag.group_id, GroupSession.number == 2
        )
    )
    return f"/staff/sessions/{session.id}/briefing"


def test_a_critical_flag_shows_who_since_when_overdue_and_a_call_button(
    client: FlaskClient, critical: Flag
) -> None:
    from datetime import timedelta

    from rom.models import Client, Membership, utcnow

    member = db.session.get(Membership, critical.membership_id)
    db.session.get(Client, member.client_id).phone = "06 1234 5678"
    critical.raised_at = utcnow() - timedelta(days=6)
    db.session.commit()
    log_in(client, "anna@kring.test")
    page = client.get("/staff/flags").get_data(as_text=True)
    assert f'href="/staff/members/{critical.membership_id}">Sanne (MA1)</a>' in page
    assert re.search(r"sinds \w\w \d\d-\d\d-\d{4} \d\d:\d\d", page)
    assert "Te laat" in page
    assert 'href="tel:0612345678"' in page
    client.post(
        f"/staff/flags/{critical.id}/acknowledge",
        data={"csrf_token": csrf(client, "/staff/flags"), "action": "contact"},
    )
    assert "Te laat" not in client.get("/staff/flags").get_data(as_text=True)

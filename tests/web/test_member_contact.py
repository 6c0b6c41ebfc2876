"""A member's contact details where the work needs them: the member's own therapists see and
correct them (audited, without the values), record consent per channel, and the roster says who
gets no questionnaires instead of Kring silently sending nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import AuditEvent, Client, Membership, OutboxMessage
from rom.services.planning import plan_invitations
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in


@pytest.fixture
def member(app: Flask) -> Membership:
    team = cast()
    group = make_group("GA", therapists=(team.anna,), name="Groep A")
    make_group("GB", therapists=(team.carla,), name="Groep B")
    membership = make_member(group, "MA1")
    membership.client.phone = "06 1234 5678"
    make_session(group, 1, start=datetime(2026, 3, 9, 9, 0))
    db.session.commit()
    return membership


def test_the_members_therapist_can_call_them_from_the_member_page(
    client: FlaskClient, member: Membership
) -> None:
    log_in(client, "anna@kring.test")
    page = client.get(f"/staff/members/{member.id}").get_data(as_text=True)
    assert 'href="tel:0612345678"' in page
    assert "ma1@example.org" in page
    other = client.application.test_client()
    log_in(other, "carla@kring.test")
    assert other.get(f"/staff/members/{member.id}/contact").status_code == 404


def test_corrected_contact_details_and_consent_are_audited_without_their_values(
    client: FlaskClient, member: Membership
) -> None:
    log_in(client, "anna@kring.test")
    path = f"/staff/members/{member.id}/contact"
    saved = client.post(
        path,
        data={
            "csrf_token": csrf(client, path),
            "first_name": "Sanne",
            "email": "nieuw@example.org",
            "phone": "06 1234 5678",
            "language": "en",
            "sms_consent": "y",
        },
    )
    assert saved.status_code == 302
    stored = db.session.get(Client, member.client_id)
    db.session.refresh(stored)
    assert (stored.email, stored.language.value, stored.email_consent, stored.sms_consent) == (
        "nieuw@example.org",
        "en",
        False,
        True,
    )
    event = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "change", AuditEvent.subject_type == "client_contact"
        )
    )
    assert event.detail == {"fields": ["email", "email_consent", "language"]}
    assert "nieuw@example.org" not in str(event.detail)
    assert stored.reachable_by == "sms"


def test_without_consent_the_roster_says_so_and_nothing_is_sent(
    client: FlaskClient, member: Membership
) -> None:
    stored = db.session.get(Client, member.client_id)
    stored.email_consent = False
    stored.sms_consent = False
    db.session.commit()
    assert plan_invitations(datetime(2026, 3, 7)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    log_in(client, "anna@kring.test")
    roster = client.get(f"/staff/groups/{member.group_id}").get_data(as_text=True)
    assert "krijgt geen vragenlijsten: geen adres of geen toestemming" in roster
    stored.sms_consent = True
    db.session.commit()
    assert plan_invitations(datetime(2026, 3, 7)) == 1
    channel = db.session.scalar(sa.select(OutboxMessage.channel).limit(1))
    assert channel.value == "sms"

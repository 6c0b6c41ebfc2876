"""An admin exports all of a member's data (JSON, and FHIR responses that validate), erases their
contact details while their answers stay under the code, or erases everything; the audit log
is searchable and exportable, and every one of these acts is in it."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
import sqlalchemy as sa
from fhirclient.models.bundle import Bundle
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.instruments import library
from rom.models import Answer, AuditEvent, Client, Membership, OutboxMessage, Response
from rom.services.invitations import open_link
from rom.services.planning import plan_invitations
from rom.services.submissions import save_topic, submit
from tests.factories import make_group, make_invitation, make_member, make_session
from tests.member_answers import save_page
from tests.personas import cast
from tests.staff_session import csrf, log_in

PHQ = {f"item-{n}": "1" for n in range(1, 10)}
GAD = {f"item-{n}": "2" for n in range(1, 8)}


@pytest.fixture
def answered(app: Flask) -> Client:
    """MA1 answered session 1 and has messages waiting for session 2."""
    from datetime import datetime

    team = cast()
    group = make_group("GA", therapists=(team.anna,))
    membership = make_member(group, "MA1")
    _, token = make_invitation(membership, make_session(group, 1))
    make_session(group, 2, start=datetime(2099, 3, 9, 9, 0))
    link = save_page(open_link(token), library()["phq9"], PHQ)
    link = save_page(link, library()["gad7"], GAD)
    save_topic(link, "Mijn onderwerp voor de groep")
    submit(link, library())
    db.session.commit()
    plan_invitations(datetime(2099, 3, 7))
    return membership.client


def admin(client: FlaskClient) -> FlaskClient:
    log_in(client, "ad@kring.test")
    return client


def test_the_json_export_holds_contact_details_answers_and_scores(
    client: FlaskClient, answered: Client
) -> None:
    data = admin(client).get("/staff/data-rights/MA1/export.json").get_json()
    assert data["client"]["email"] == "ma1@example.org"
    [membership] = data["memberships"]
    phq = next(r for r in membership["responses"] if r["instrument"] == "phq9")
    assert phq["answers"]["9"] == 1
    assert phq["scores"]["total"] == 9.0
    assert membership["topics"] == [{"session": 1, "topic": "Mijn onderwerp voor de groep"}]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export"))
    assert (event.subject_type, event.subject_id, event.detail) == (
        "member_data",
        "MA1",
        {"format": "json"},
    )


def test_the_fhir_export_validates(client: FlaskClient, answered: Client) -> None:
    download = admin(client).get("/staff/data-rights/MA1/fhir.json")
    assert download.content_type == "application/fhir+json; fhirVersion=4.0"
    parsed = Bundle(download.get_json())  # FHIR R4 (4.0.1)
    assert len(parsed.entry) == 4  # the PHQ-9 and GAD-7 and their total scores
    assert {e.resource.subject.identifier.value for e in parsed.entry} == {"MA1"}


def erase(client: FlaskClient, how: str, confirm: str = "MA1"):
    path = "/staff/data-rights?code=MA1"
    return client.post(
        "/staff/data-rights/MA1/erase",
        data={"csrf_token": csrf(client, path), "how": how, "confirm": confirm},
    )


def test_erasing_contact_details_keeps_the_answers_under_the_code(
    client: FlaskClient, answered: Client
) -> None:
    admin(client)
    assert erase(client, "contact", confirm="MA2").status_code == 400  # a typo erases nothing
    assert db.session.get(Client, answered.id).email == "ma1@example.org"
    assert erase(client, "contact").status_code == 302
    db.session.expire_all()
    erased = db.session.get(Client, answered.id)
    assert (erased.first_name, erased.email, erased.phone) == (None, None, None)
    assert erased.erased_at is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 16
    messages = db.session.scalars(sa.select(OutboxMessage)).all()
    assert len(messages) == 3  # the two for session 2, and the alert to the therapist
    assert all("example.org" not in m.recipient + m.body for m in messages)


def test_erasing_everything_leaves_nothing_of_the_member(
    client: FlaskClient, answered: Client
) -> None:
    admin(client)
    assert erase(client, "everything").status_code == 302
    for model in (Client, Membership, Response, Answer, OutboxMessage):
        left = db.session.scalars(sa.select(model)).all()
        assert left == [], [vars(x) for x in left]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "erase"))
    assert event.detail == {"how": "everything"}


def test_the_audit_log_is_searchable_and_exportable(client: FlaskClient, answered: Client) -> None:
    admin(client).get("/staff/data-rights/MA1/export.json")
    page = client.get("/staff/audit?action=export").get_data(as_text=True)
    assert "gegevens van een cliënt MA1" in page
    assert client.get("/staff/audit?from=yesterday").status_code == 400
    exported = client.get("/staff/audit.csv?action=export").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["actor"], r["subject_id"]) for r in rows] == [("ad@kring.test", "MA1")]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "export", AuditEvent.subject_type == "audit_log")
        )
        == 1
    )


def test_the_audit_log_pages_back_and_shows_the_organisations_time(
    client: FlaskClient, answered: Client
) -> None:
    from datetime import datetime

    from rom.staff.audit_log import LIMIT

    db.session.add_all(
        AuditEvent(
            at=datetime(2026, 7, 1, 10, 0),  # 12:00 in Amsterdam (summer time)
            actor_kind="system",
            action="old",
            subject_type="test",
            subject_id=str(number),
            detail={},
        )
        for number in range(LIMIT + 10)
    )
    db.session.commit()
    admin(client)
    first = client.get("/staff/audit?action=old").get_data(as_text=True)
    assert first.count("<td>wo 01-07-2026 12:00</td>") == LIMIT
    older = re.search(r'href="(/staff/audit\?[^"]*before=\d+[^"]*)"', first).group(1)
    second = client.get(html.unescape(older)).get_data(as_text=True)
    assert second.count("<td>wo 01-07-2026 12:00</td>") == 10
    assert "Oudere regels" not in second

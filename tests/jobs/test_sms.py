"""SMS through a provider's HTTP API: a real HTTP server on loopback stands in for the provider."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import Channel, Client, OutboxMessage, OutboxStatus
from rom.services.planning import plan_invitations
from tests.factories import make_group, make_member, make_session

START = datetime(2026, 3, 9, 9, 0)


class Provider(BaseHTTPRequestHandler):
    received: list[dict] = []  # noqa: RUF012  (shared by the server's handler instances)
    status = 202

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Provider.received.append({"auth": self.headers["Authorization"], **body})
        self.send_response(Provider.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def provider(app: Flask) -> Iterator[type[Provider]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Provider.received, Provider.status = [], 202
    app.config.update(
        SMS_URL=f"http://127.0.0.1:{server.server_port}/messages", SMS_API_KEY="secret-key"
    )
    yield Provider
    app.config.update(SMS_URL="", SMS_API_KEY="")
    server.shutdown()


@pytest.fixture
def phone_only_member(app: Flask) -> None:
    group = make_group()
    member = make_member(group, "M1", language="en")
    client = db.session.get(Client, member.client_id)
    client.email, client.phone = None, "+31612345678"
    make_session(group, 1, start=START)
    db.session.commit()


def test_a_member_without_email_gets_an_sms_with_the_link(
    app: Flask, provider, phone_only_member
) -> None:
    plan_invitations(START - timedelta(days=2))
    channels = set(db.session.scalars(sa.select(OutboxMessage.channel)))
    assert channels == {Channel.SMS}
    report = deliver_due(configured_senders(app.config), START + timedelta(hours=3))
    assert report.sent == 1
    [sms] = provider.received
    assert sms["to"] == "+31612345678"
    assert sms["auth"] == "Bearer secret-key"
    assert sms["text"].startswith("Kring: questionnaire for Vaardigheden A")
    assert "http://kring.test/q/" in sms["text"]
    assert "PHQ" not in sms["text"]


def test_a_provider_error_is_retried_later(app: Flask, provider, phone_only_member) -> None:
    plan_invitations(START - timedelta(days=2))
    provider.status = 503
    senders = configured_senders(app.config)
    assert deliver_due(senders, START + timedelta(hours=3)).retried == 1
    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.purpose == "invitation")
    )
    assert message.status == OutboxStatus.PENDING
    assert "HTTPError" in message.last_error
    provider.status = 202
    assert deliver_due(configured_senders(app.config), START + timedelta(hours=4)).sent == 1

"""10,000 due invitations planned and delivered to a local SMTP server (target < 60 s, no
duplicates); prints the time and messages per second. The SMTP server runs in a process of its
own, as a mail relay does, so it does not share the measured process's interpreter."""

from __future__ import annotations

import multiprocessing
import socket
import time
from datetime import datetime, timedelta
from multiprocessing.synchronize import Event as EventType

from aiosmtpd.controller import Controller

from benchmarks.data import fresh_app

GROUPS, MEMBERS = 1250, 8
START = datetime(2026, 3, 9, 9, 0)


class Counter:
    def __init__(self) -> None:
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _serve_smtp(port: int, stop: EventType, received: multiprocessing.Queue) -> None:
    """The SMTP server's process: count recipients until told to stop, then hand them over."""
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()
    received.put(counter.recipients)


def _populate() -> None:
    from rom.extensions import db
    from tests.factories import make_group, make_member, make_session

    for g in range(GROUPS):
        group = make_group(code=f"B{g}", name=f"Groep {g}")
        make_session(group, 1, start=START)
        for m in range(MEMBERS):
            make_member(group, code=f"B{g}M{m}")
    db.session.commit()


def _when_all_are_due() -> datetime:
    """The moment the first planned messages are due (their battery sets the hour; reminders come
    later)."""
    import sqlalchemy as sa

    from rom.extensions import db
    from rom.models import OutboxMessage

    return db.session.scalar(sa.select(sa.func.min(OutboxMessage.next_attempt_at)))


def run() -> None:
    from rom.messaging.delivery import DeliveryReport, deliver_due
    from rom.messaging.senders import configured_senders
    from rom.services.planning import plan_invitations
    from rom.transactions import committed

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stop, received = multiprocessing.Event(), multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve_smtp, args=(port, stop, received))
    server.start()
    app = fresh_app()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    with app.app_context():
        _populate()
        started = time.perf_counter()
        with committed():
            planned = plan_invitations(START - timedelta(days=2))
        planning = time.perf_counter() - started
        sender, sent, moment = configured_senders(app.config), 0, _when_all_are_due()
        while True:
            report = deliver_due(sender, moment, limit=2000)
            sent += report.sent
            if report == DeliveryReport(0, 0, 0, 0):  # nothing is due any more
                break
        total = time.perf_counter() - started
    stop.set()
    recipients = received.get(timeout=60)
    server.join(10)
    duplicates = len(recipients) - len(set(recipients))
    print(
        f"planned {planned:,} invitations in {planning:.1f} s; planned and delivered in "
        f"{total:.1f} s (target < 60 s): {sent:,} sent, "
        f"{sent / (total - planning):,.0f} messages/s; "
        f"received {len(recipients):,}, duplicates {duplicates}"
    )

"""The intake questionnaire of a referred client: the link arrives at a real SMTP server, opens
the same phone pages, and the answers and scores are kept on the referral (never as a group's
session response); a critical answer alerts every therapist and shows where to get help."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient

from rom.extensions import db
from rom.messaging.delivery import deliver_due
from rom.messaging.senders import configured_senders
from rom.models import OutboxMessage, Referral, Response
from rom.services.intake import intake_phq9
from rom.services.waiting_list import waiting_frame
from tests.jobs.conftest import Mailbox, free_port
from tests.staff_session import csrf, log_in
from tests.web.member_questionnaire import csrf_of
from tests.web.staff_forms import judge, refer
from tests.web.staff_language import fresh, switch

PHQ = {f"item-{n}": "1" for n in range(1, 9)} | {"item-9": "0"}  # total 8
GAD = {f"item-{n}": "2" for n in range(1, 8)}  # total 14
READINESS = {f"item-{n}": "3" for n in range(1, 10)} | {"item-6": "1"}  # item 6 reversed: 3


@pytest.fixture
def mailbox(app: Flask) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    box.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=box.port, SMTP_SECURITY="none")
    yield box
    app.config.update(SMTP_HOST="")
    box.stop()


def _intake_link(client: FlaskClient, app: Flask, mailbox: Mailbox) -> tuple[Referral, str]:
    """Anna refers W100 and sends the intake link; it is delivered to the mailbox."""
    from tests.personas import cast

    cast()
    db.session.commit()
    log_in(client, "anna@kring.test")
    refer(client)
    referral = db.session.scalar(sa.select(Referral))
    path = f"/staff/referrals/{referral.id}"
    sent = client.post(f"{path}/intake", data={"csrf_token": csrf(client, path)})
    assert sent.status_code == 302
    deliver_due(configured_senders(app.config))
    [mail] = mailbox.messages
    body = mail.get_payload(decode=True).decode()
    assert mail["To"] == "noor@example.org"
    assert "W100" not in body  # no codes, names or scores in the message
    assert "Noor" not in body
    return referral, re.search(r"/q/(\S+)", body).group(1)


def _answer(client: FlaskClient, token: str, pages: list[dict[str, str]]) -> str:
    g.pop("csrf_token", None)  # the tests share one app context: a new browser, a new token
    for number, answers in enumerate(pages, start=1):
        form = client.get(f"/q/{token}?page={number}").get_data(as_text=True)
        action = "submit" if number == len(pages) else "next"
        reply = client.post(
            f"/q/{token}",
            data={"csrf_token": csrf_of(form), "page": str(number), "action": action, **answers},
        )
    g.pop("csrf_token", None)  # and back to the staff's browser
    return reply.get_data(as_text=True)


def test_the_intake_arrives_by_mail_and_its_scores_are_kept_on_the_referral(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    referral, token = _intake_link(client, app, mailbox)
    phone = app.test_client()
    first = phone.get(f"/q/{token}").get_data(as_text=True)
    assert "Uw aanmelding voor behandeling in een groep" in first
    assert "Vragenlijst 1 van 3" in first
    thanks = _answer(phone, token, [PHQ, GAD, READINESS])
    assert "Dank u wel!" in thanks
    db.session.expire_all()
    intake = db.session.get(Referral, referral.id).intake
    assert intake["scores"]["phq9"]["total"] == 8
    assert intake["scores"]["gad7"]["total"] == 14
    assert intake["scores"]["readiness"]["readiness"] == 3.0  # 3 everywhere, item 6 reversed
    assert intake["answers"]["readiness"]["6"] == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0
    assert judge(client, referral.id).status_code == 302
    assert waiting_frame().set_index("client_id").loc[referral.id, "readiness"] == 0.75
    assert phone.get(f"/q/{token}").status_code == 410  # used: nothing more to store
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "PHQ-9 8 · GAD-7 14" in page
    assert "bereidheid 3,0 / 4" in page  # a Dutch decimal comma
    assert re.search(r"Ingevuld op (ma|di|wo|do|vr|za|zo) \d\d-\d\d-20\d\d \d\d:\d\d:", page)
    assert switch(client, "en").status_code == 302
    page = fresh(app, client, f"/staff/referrals/{referral.id}")
    assert "readiness 3.0 / 4" in page
    assert intake_phq9(db.session.get(Referral, referral.id)) == 8.0  # for the composition


def test_a_critical_answer_at_intake_alerts_every_therapist_and_shows_help(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    referral, token = _intake_link(client, app, mailbox)
    thanks = _answer(app.test_client(), token, [PHQ | {"item-9": "2"}, GAD, READINESS])
    assert "113" in thanks  # where to get help now, before the thank-you
    alerts = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.purpose == "alert")
    ).all()
    assert sorted(alerts) == ["anna@kring.test", "bram@kring.test", "carla@kring.test"]
    page = client.get(f"/staff/referrals/{referral.id}").get_data(as_text=True)
    assert "Een antwoord vraagt direct aandacht" in page


def test_the_intake_is_in_the_clients_data_and_goes_when_they_are_erased(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    from rom.models import Client, Invitation, Suitability
    from rom.services.erasure import erase_entirely, member_export

    referral, token = _intake_link(client, app, mailbox)
    thanks = _answer(app.test_client(), token, [PHQ, GAD, READINESS])
    assert "Dank u wel!" in thanks, thanks[-400:]
    assert judge(client, referral.id).status_code == 302
    db.session.expire_all()
    person = db.session.scalar(sa.select(Client).where(Client.code == "W100"))
    data = member_export(person)
    [exported] = data["referrals"]
    assert exported["intake"]["scores"]["gad7"]["total"] == 14
    assert exported["suitability"]["decision"] == "suitable"
    erase_entirely(person)
    db.session.commit()
    for model in (Referral, Suitability, Invitation, OutboxMessage, Client):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model

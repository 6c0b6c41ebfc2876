"""The member's questionnaire: every failure gives a clear page and stores nothing; a submit
stores exactly one scored response."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from rom.extensions import db
from rom.models import (
    Answer,
    Flag,
    Invitation,
    Membership,
    OutboxMessage,
    Response,
    Score,
    SessionStatus,
)
from tests.factories import (
    make_group,
    make_invitation,
    make_member,
    make_session,
    make_therapist,
)
from tests.member_answers import save_page
from tests.web.member_questionnaire import PHQ_OK, csrf_of, post_page

GAD_OK = {f"item-{n}": "2" for n in range(1, 8)}


@pytest.fixture
def link(app: Flask) -> str:
    """A member's open link for session 1 (PHQ-9 and GAD-7) of a group led by Anna."""
    group = make_group(therapists=(make_therapist(),))
    invitation, token = make_invitation(make_member(group), make_session(group, 1))
    db.session.commit()
    assert invitation.instrument_ids == ["phq9", "gad7"]
    return token


def stored_responses() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Response))


def test_opening_a_link_shows_the_first_questionnaire_in_dutch(
    client: FlaskClient, link: str
) -> None:
    page = client.get(f"/q/{link}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Vaardigheden A · bijeenkomst 1" in html
    assert "Vragenlijst 1 van 2" in html
    assert "PHQ-9 (klachten van somberheid)" in html
    assert html.count("<fieldset") == 9
    assert 'lang="nl"' in html


def test_the_language_switch_shows_english_and_is_remembered(
    client: FlaskClient, link: str
) -> None:
    dutch = client.get(f"/q/{link}?page=2").get_data(as_text=True)
    assert re.search(
        r'<button type="submit" form="answers" class="language" name="switch_to" value="en"', dutch
    )
    switched = client.post(
        f"/q/{link}",
        data={"csrf_token": csrf_of(dutch), "page": "2", "switch_to": "en", "item-1": "2"},
    )
    assert switched.headers["Location"] == f"/q/{link}?page=2&lang=en"  # this page, in English
    english = client.get(switched.headers["Location"]).get_data(as_text=True)
    assert "Questionnaire 2 of 2" in english
    assert re.search(r'name="item-1" value="2"[^>]*checked', english)  # the answer was kept
    assert f'<form method="post" action="/q/{link}"' in english
    assert "Little interest or pleasure" in client.get(f"/q/{link}?page=1").get_data(as_text=True)


def test_answers_are_kept_and_the_member_continues_where_they_left_off(
    client: FlaskClient, link: str
) -> None:
    response = post_page(client, link, 1, PHQ_OK)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("page=2")
    fresh = client.application.test_client()  # a new browser: nothing but the link
    html = fresh.get(f"/q/{link}").get_data(as_text=True)
    assert "Vragenlijst 2 van 2" in html
    back = fresh.get(f"/q/{link}?page=1").get_data(as_text=True)
    assert 'name="item-1" value="1" checked' in back


def test_submitting_with_gaps_names_them_and_keeps_every_answer(
    client: FlaskClient, link: str
) -> None:
    post_page(client, link, 1, {k: v for k, v in PHQ_OK.items() if k not in ("item-3", "item-7")})
    response = post_page(client, link, 2, GAD_OK, action="submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nog niet alles is beantwoord" in html
    assert "vraag 3, 7" in html
    assert 'name="item-1" value="1" checked' in html
    assert stored_responses() == 0
    draft = db.session.scalar(sa.select(Invitation)).draft
    assert draft["gad7"] == {str(n): 2 for n in range(1, 8)}


def test_a_complete_submit_stores_one_scored_response_per_instrument(
    client: FlaskClient, link: str
) -> None:
    post_page(client, link, 1, PHQ_OK)
    response = post_page(client, link, 2, GAD_OK, action="submit")
    assert response.status_code == 200
    assert "Dank u wel!" in response.get_data(as_text=True)
    totals = dict(
        db.session.execute(
            sa.select(Response.instrument_id, Score.value)
            .join(Score, Score.response_id == Response.id)
            .where(Score.scale == "total")
        ).all()
    )
    assert totals == {"phq9": 8.0, "gad7": 14.0}
    answered = dict(
        db.session.execute(
            sa.select(Response.instrument_id, sa.func.sum(Answer.value))
            .join(Answer, Answer.response_id == Response.id)
            .group_by(Response.instrument_id)
        ).all()
    )
    assert answered == {"phq9": 8, "gad7": 14}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 16


def test_double_submit_stores_one_response(client: FlaskClient, link: str) -> None:
    post_page(client, link, 1, PHQ_OK)
    form = client.get(f"/q/{link}?page=2").get_data(as_text=True)
    data = {"csrf_token": csrf_of(form), "page": "2", "action": "submit", **GAD_OK}
    first = client.post(f"/q/{link}", data=data)
    second = client.post(f"/q/{link}", data=data)
    assert first.status_code == 200
    assert second.status_code == 410  # the link is used: a friendly page, nothing stored
    assert stored_responses() == 2


def test_a_sent_link_still_says_where_to_get_help_now(client: FlaskClient, link: str) -> None:
    """A member who reloads the thank-you page after a critical answer must not lose the
    numbers; the page says nothing about the member's answers."""
    post_page(client, link, 1, PHQ_OK | {"item-9": "2"})
    post_page(client, link, 2, GAD_OK, action="submit")
    reopened = client.get(f"/q/{link}")
    html = reopened.get_data(as_text=True)
    assert reopened.status_code == 410
    assert "Heeft u nu hulp nodig?" in html
    assert "0800-0113" in html
    assert "Do you need help now?" not in html  # one language: the member's
    assert "gedachten" not in html  # not the help page's words about the answer itself


def test_submit_after_another_tab_submitted_changes_nothing(client: FlaskClient, link: str) -> None:
    from rom.instruments import library
    from rom.services.invitations import open_link
    from rom.services.submissions import submit

    post_page(client, link, 1, PHQ_OK)
    post_page(client, link, 2, GAD_OK)
    other_tab = open_link(link)  # opened before the first submit
    assert submit(open_link(link), library()).already is False
    assert submit(other_tab, library()).already is True
    assert stored_responses() == 2


def test_two_tabs_saving_pages_at_the_same_moment_keep_every_answer(
    client: FlaskClient, link: str
) -> None:
    from rom.instruments import library
    from rom.services.invitations import open_link

    first_tab, second_tab = open_link(link), open_link(link)  # both read before either saves
    save_page(first_tab, library()["phq9"], PHQ_OK)
    db.session.commit()
    save_page(second_tab, library()["gad7"], GAD_OK)
    save_page(open_link(link), library()["phq9"], {"item-1": "3"})  # a change on the same page
    db.session.commit()
    draft = db.session.scalar(sa.select(Invitation)).draft
    assert draft["gad7"] == {str(n): 2 for n in range(1, 8)}
    assert draft["phq9"] == {str(n): 1 for n in range(1, 9)} | {"1": 3, "9": 0}


def test_a_submit_takes_in_the_page_another_tab_saved_meanwhile(
    client: FlaskClient, link: str
) -> None:
    from rom.instruments import library
    from rom.services.invitations import open_link
    from rom.services.submissions import submit, with_page

    sending_tab = open_link(link)  # shows the last page; the first one is answered elsewhere
    save_page(open_link(link), library()["phq9"], PHQ_OK)
    db.session.commit()
    last_page = with_page(sending_tab, library()["gad7"], GAD_OK)
    assert submit(last_page, library(), page="gad7").already is False
    assert stored_responses() == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 16


def test_a_critical_answer_shows_help_raises_a_flag_and_queues_alerts(
    client: FlaskClient, link: str
) -> None:
    post_page(client, link, 1, PHQ_OK | {"item-9": "2"})
    html = post_page(client, link, 2, GAD_OK, action="submit").get_data(as_text=True)
    assert html.index("0800-0113") < html.index('id="thanks-title"')
    assert "0800-0113" in html
    assert "huisarts" in html
    flag = db.session.scalar(sa.select(Flag))
    assert (flag.kind.value, flag.severity.value) == ("critical_item", "critical")
    [alert] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert alert.recipient == "anna@kring.test"
    assert "Sanne" not in alert.body
    assert "PHQ" not in alert.body
    assert "M1" not in alert.body


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"item-1": "4"}, "out of range"),
        ({"item-12": "1"}, "unknown item"),
        ({"item-1": "one"}, "not a number"),
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_saved(
    client: FlaskClient, link: str, answers: dict, field: str
) -> None:
    response = post_page(client, link, 1, PHQ_OK | answers)
    assert response.status_code == 400, field
    assert "er is niets opgeslagen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Invitation)).draft == {}


def test_another_invitations_questionnaire_cannot_be_answered(
    client: FlaskClient, link: str
) -> None:
    from rom.instruments import library
    from rom.services.invitations import open_link
    from rom.services.submissions import BadAnswerError

    with pytest.raises(BadAnswerError):
        save_page(open_link(link), library()["gcs"], {"item-1": "3"})
    assert db.session.scalar(sa.select(Invitation)).draft == {}


def test_missing_csrf_token_is_refused(client: FlaskClient, link: str) -> None:
    response = client.post(f"/q/{link}", data={"page": "1", **PHQ_OK})
    assert response.status_code == 400
    assert "Deze pagina kon niet worden verstuurd" in response.get_data(as_text=True)
    assert "er is niets opgeslagen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(Invitation)).draft == {}


def test_the_form_key_of_another_link_is_refused(client: FlaskClient, link: str) -> None:
    group = make_group(code="OTHER")
    _, other = make_invitation(make_member(group, code="M2"), make_session(group, 1))
    db.session.commit()
    foreign_key = csrf_of(client.get(f"/q/{other}").get_data(as_text=True))
    response = client.post(f"/q/{link}", data={"csrf_token": foreign_key, "page": "1", **PHQ_OK})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(Invitation).filter_by(membership_id=1)).draft == {}


def test_a_page_left_open_for_hours_can_still_be_sent(
    client: FlaskClient, link: str, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 2, 19, 0), tick=False)
    form = client.get(f"/q/{link}").get_data(as_text=True)
    time_machine.shift(timedelta(hours=5))
    response = client.post(f"/q/{link}", data={"csrf_token": csrf_of(form), "page": "1", **PHQ_OK})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Invitation)).draft["phq9"]["1"] == 1


def test_the_member_pages_set_no_cookie_until_a_language_is_picked(
    client: FlaskClient, link: str
) -> None:
    assert "Set-Cookie" not in post_page(client, link, 1, PHQ_OK).headers
    assert "Set-Cookie" not in client.get(f"/q/{link}").headers
    picked = client.get(f"/q/{link}?lang=en").headers["Set-Cookie"]
    assert picked.startswith("kring_lang=en;")


def test_unknown_link_is_404_in_the_browsers_language(client: FlaskClient, link: str) -> None:
    dutch = client.get("/q/not-a-real-token")
    english = client.get("/q/not-a-real-token", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert dutch.status_code == english.status_code == 404
    assert _words(dutch) == ("Deze link werkt niet", "nl", "English")
    assert _words(english) == ("This link does not work", "en", "Nederlands")
    assert "This link" not in dutch.get_data(as_text=True)
    assert "Deze link" not in english.get_data(as_text=True)
    assert "Vaardigheden" not in dutch.get_data(as_text=True)
    picked = client.get("/q/not-a-real-token?lang=en")
    assert _words(picked)[0] == "This link does not work"
    assert picked.headers["Set-Cookie"].startswith("kring_lang=en;")
    assert _words(client.get("/q/not-a-real-token"))[0] == "This link does not work"


def _words(response: TestResponse) -> tuple[str, str, str]:
    """The notice's heading, the page's language and the switch to the other language."""
    html = response.get_data(as_text=True)
    heading = re.search(r"<h1>(.*?)</h1>", html)
    page_language = re.search(r'<html lang="(\w+)"', html)
    switch = re.search(r'<a class="language"[^>]*>(.*?)</a>', html)
    assert heading is not None
    assert page_language is not None
    assert switch is not None
    return heading[1], page_language[1], switch[1]


def test_expired_link_is_410_in_the_members_language(app: Flask, client: FlaskClient) -> None:
    group = make_group()
    _, token = make_invitation(
        make_member(group, language="en"), make_session(group), expires_at=datetime(2020, 1, 1)
    )
    db.session.commit()
    response = client.get(f"/q/{token}", headers={"Accept-Language": "nl"})
    assert response.status_code == 410
    assert _words(response) == ("This questionnaire has expired", "en", "Nederlands")
    assert "verlopen" not in response.get_data(as_text=True)


def test_only_the_hash_of_the_token_is_stored(link: str) -> None:
    invitation = db.session.scalar(sa.select(Invitation))
    assert link not in invitation.token_hash
    assert len(link) >= 43  # 256 bits in URL-safe base64


def test_rate_limit_per_link(app: Flask, client: FlaskClient, link: str) -> None:
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "3 per minute"
    try:
        codes = [client.get(f"/q/{link}").status_code for _ in range(4)]
    finally:
        app.config["QUESTIONNAIRE_RATE_LIMIT"] = "10000 per minute"
    assert codes == [200, 200, 200, 429]


def test_rate_limit_per_link_holds_across_addresses_and_per_address_across_links(
    app: Flask, client: FlaskClient, link: str
) -> None:
    group = make_group(code="OTHER")
    others = [
        make_invitation(make_member(group, code=f"OTHER{n}"), make_session(group, n))[1]
        for n in range(1, 5)
    ]
    db.session.commit()
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "2 per minute"
    try:
        by_link = [
            client.get(f"/q/{link}", environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}).status_code
            for n in range(3)
        ]
        by_address = [
            client.get(f"/q/{token}", environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code
            for token in others[:3]
        ]
    finally:
        app.config["QUESTIONNAIRE_RATE_LIMIT"] = "10000 per minute"
    assert by_link == [200, 200, 429]
    assert by_address == [200, 200, 429]


def test_too_many_requests_get_a_page_in_one_language_that_says_when_to_retry(
    app: Flask, client: FlaskClient, link: str
) -> None:
    app.config["QUESTIONNAIRE_RATE_LIMIT"] = "1 per minute"
    try:
        client.get(f"/q/{link}")
        refused = client.get(f"/q/{link}")
    finally:
        app.config["QUESTIONNAIRE_RATE_LIMIT"] = "10000 per minute"
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Even geduld" in html
    assert "Please wait a moment" not in html
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Vaardigheden" not in html


def _ask_topic() -> None:
    db.session.scalar(sa.select(Invitation)).membership.group.ask_topic = True
    db.session.commit()


def test_where_the_group_asks_it_the_member_names_a_topic_with_the_last_page(
    client: FlaskClient, link: str
) -> None:
    assert "in de groep willen inbrengen" not in client.get(f"/q/{link}?page=2").get_data(
        as_text=True
    )
    _ask_topic()
    first = client.get(f"/q/{link}?page=1").get_data(as_text=True)
    assert "in de groep willen inbrengen" not in first  # asked once, on the last page
    post_page(client, link, 1, PHQ_OK)
    topic = {"topic": "  Hoe ik  omga met\nkritiek van anderen "}
    response = post_page(client, link, 2, GAD_OK | topic, action="submit")
    assert response.status_code == 200
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.topic == "Hoe ik omga met kritiek van anderen"
    assert invitation.completed_at is not None


def test_a_topic_too_long_is_refused_and_nothing_of_the_page_is_saved(
    client: FlaskClient, link: str
) -> None:
    _ask_topic()
    post_page(client, link, 1, PHQ_OK)
    response = post_page(client, link, 2, GAD_OK | {"topic": "x" * 281}, action="submit")
    assert response.status_code == 400
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.topic is None
    assert "gad7" not in invitation.draft
    assert invitation.completed_at is None
    assert stored_responses() == 0


def _phq(total: int) -> dict[str, str]:
    """PHQ-9 answers adding up to the total, item 9 never above 0."""
    answers = {}
    for n in range(1, 9):
        answers[f"item-{n}"] = str(min(3, total))
        total -= min(3, total)
    return answers | {"item-9": "0"}


def _answer(client: FlaskClient, member: Membership, number: int, phq_total: int) -> str:
    """The member answers every questionnaire of session `number` by link: the PHQ-9 adding up
    to phq_total, every other item its first option."""
    invitation, token = make_invitation(member, make_session(member.group, number))
    db.session.commit()
    pages = len(invitation.instrument_ids)
    for page, instrument in enumerate(invitation.instrument_ids, start=1):
        form = client.get(f"/q/{token}?page={page}").get_data(as_text=True)
        first = dict(reversed(re.findall(r'name="(item-\d+)" value="(\d+)"', form)))
        answers = _phq(phq_total) if instrument == "phq9" else first
        action = "submit" if page == pages else "next"
        data = {"csrf_token": csrf_of(form), "page": str(page), "action": action, **answers}
        reply = client.post(f"/q/{token}", data=data)
    return reply.get_data(as_text=True)


def test_member_feedback_shows_own_scores_over_the_course_of_people_who_started_alike(
    client: FlaskClient,
) -> None:
    group = make_group(therapists=(make_therapist(),))
    member = make_member(group)
    assert "<svg" not in _answer(client, member, 1, 20)  # one score is not a course
    _answer(client, member, 2, 18)
    thanks = _answer(client, member, 3, 8)
    # Shipped course at the third own session: the share of the room to improve (intake - 2)
    # gained is f * (1 - exp(-2/4)), f = 0.60 for the 75th and 0.05 for the 25th percentile.
    progress = 1 - math.exp(-2 / 4)
    better, worse = (round(20 - f * progress * 18) for f in (0.60, 0.05))
    assert (better, worse) == (16, 20)
    assert "bijeenkomst 1: 20, 2: 18, 3: 8." in thanks
    assert f"tussen {better} en {worse}." in thanks
    assert 'class="expected"' in thanks
    assert "met ongeveer dezelfde score begonnen als u" in thanks


def test_member_feedback_counts_the_members_own_held_sessions_since_joining(
    client: FlaskClient,
) -> None:
    """Joined at session 3, session 4 cancelled: sessions 3, 5 and 6 are the member's first,
    second and third, so the band is the one of the test above; another member's scores from
    before are not theirs."""
    group = make_group(therapists=(make_therapist(),))
    earlier = make_member(group, code="M0")
    _answer(client, earlier, 1, 5)
    _answer(client, earlier, 2, 4)
    member = make_member(group, joined=3)
    _answer(client, member, 3, 20)
    make_session(group, 4).status = SessionStatus.CANCELLED
    _answer(client, member, 5, 18)
    thanks = _answer(client, member, 6, 8)
    assert "bijeenkomst 3: 20, 5: 18, 6: 8." in thanks
    assert "tussen 16 en 20." in thanks


def test_member_feedback_is_not_shown_where_the_group_turned_it_off(
    client: FlaskClient,
) -> None:
    group = make_group(therapists=(make_therapist(),), member_feedback=False)
    member = make_member(group)
    _answer(client, member, 1, 20)
    thanks = _answer(client, member, 2, 18)
    assert "Dank u wel!" in thanks
    assert "<svg" not in thanks


def test_a_critical_answer_on_a_saved_page_alerts_before_it_is_sent(
    client: FlaskClient, link: str
) -> None:
    """Saved and never sent, item 9 'nearly every day' still reaches the therapists at once: a
    critical flag that says the page was not sent, and one alert; sending later makes the flag
    an ordinary critical flag and queues no second alert."""
    post_page(client, link, 1, PHQ_OK | {"item-9": "3"})
    flag = db.session.scalar(sa.select(Flag))
    assert (flag.kind.value, flag.reasons) == (
        "critical_item",
        [{"code": "critical_answer_unsent"}],
    )
    assert db.session.scalar(sa.select(Response)) is None  # nothing was sent
    post_page(client, link, 1, PHQ_OK | {"item-9": "3"})  # saved again
    assert len(db.session.scalars(sa.select(OutboxMessage)).all()) == 1
    post_page(client, link, 2, GAD_OK, action="submit")
    db.session.expire_all()
    assert [f.reasons for f in db.session.scalars(sa.select(Flag))] == [
        [{"code": "critical_answer"}]
    ]
    assert len(db.session.scalars(sa.select(OutboxMessage)).all()) == 1
    assert len(db.session.scalars(sa.select(Response)).all()) == 2  # PHQ-9 and GAD-7, once


@pytest.mark.parametrize("path", ["/q/unknown-link-token", "/q/{token}", "/q/{token}?page=2"])
def test_every_member_page_ends_with_help_numbers_a_phone_can_call(
    client: FlaskClient, link: str, path: str
) -> None:
    page = client.get(path.format(token=link)).get_data(as_text=True)
    for number in ("113", "08000113", "112"):
        assert f'href="tel:{number}"' in page, number


DUTCH_WORDS = ("Vragenlijst", "bijeenkomst", "Volgende", "Versturen", "Uw ", "Heeft u", "Dank u")
ENGLISH_WORDS = ("Questionnaire", "session", "Next", "Send", "Your ", "Do you", "Thank you")


def _speaks_only(page: str, language: str) -> None:
    own, other = (ENGLISH_WORDS, DUTCH_WORDS) if language == "en" else (DUTCH_WORDS, ENGLISH_WORDS)
    assert f'<html lang="{language}">' in page
    assert any(word in page for word in own)
    assert [word for word in other if word in page] == []


@pytest.mark.parametrize(("language", "phone"), [("en", "nl"), ("nl", "en")])
def test_every_page_speaks_the_members_own_language_and_only_that(
    client: FlaskClient, language: str, phone: str
) -> None:
    """The member's own language decides, not the phone's: the questionnaire, a refused form, the
    gaps named at submit, and the thank-you page with help after a critical answer."""
    group = make_group(therapists=(make_therapist(),))
    _, token = make_invitation(make_member(group, language=language), make_session(group, 1))
    db.session.commit()
    headers = {"Accept-Language": phone}
    first = client.get(f"/q/{token}", headers=headers).get_data(as_text=True)

    def send(page: int, action: str, answers: dict[str, str]) -> str:
        data = {"csrf_token": csrf_of(first), "page": str(page), "action": action, **answers}
        return client.post(f"/q/{token}", data=data, headers=headers).get_data(as_text=True)

    refused = send(1, "next", PHQ_OK | {"item-1": "4"})
    gaps = send(2, "submit", GAD_OK)
    send(1, "next", PHQ_OK | {"item-9": "3"})
    thanks = send(2, "submit", GAD_OK)
    for page in (first, refused, gaps, thanks):
        _speaks_only(page, language)
    assert ("Thank you!" if language == "en" else "Dank u wel!") in thanks
    switch = 'lang="nl">Nederlands</button>' if language == "en" else 'lang="en">English</button>'
    assert switch in first  # the switch names the other language in that language


def test_member_feedback_is_drawn_and_told_in_the_members_language(client: FlaskClient) -> None:
    group = make_group(therapists=(make_therapist(),))
    member = make_member(group, language="en")
    _answer(client, member, 1, 20)
    _answer(client, member, 2, 18)
    thanks = _answer(client, member, 3, 8)
    assert "Your symptoms per session" in thanks
    assert "session 1: 20, 2: 18, 3: 8." in thanks
    assert "half of the people who started like you were between 16 and 20." in thanks
    _speaks_only(thanks, "en")

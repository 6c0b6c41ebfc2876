"""A member's answers: saved page by page, submitted once, scored and stored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from questionnaires import Instrument, Library, critical_answers, score
from rom.extensions import db
from rom.links import link_to
from rom.messaging.outbox import enqueue
from rom.messaging.texts import CRITICAL_ALERT, INTAKE_ALERT, MessageText, compose
from rom.models import (
    TOPIC_LENGTH,
    Answer,
    Flag,
    FlagKind,
    FlagStatus,
    Group,
    Invitation,
    Referral,
    Response,
    ResponseSource,
    Role,
    Score,
    Severity,
    StaffUser,
    utcnow,
)
from rom.refusals import Refusal
from rom.services.intake import store_intake
from rom.services.invitations import LinkGoneError, OpenLink

ITEM_FIELD = "item-"
INVITATIONS = Invitation.__table__
RESPONSES, ANSWERS, SCORES = Response.__table__, Answer.__table__, Score.__table__
# The busiest writes of the application, built once and run on the session's connection (Core:
# the ORM's per-statement work costs more than these statements themselves).
LINK = INVITATIONS.c.id == sa.bindparam("link_id")
# Still open, and the draft as this request read it (another tab may have saved since).
_AS_READ = sa.and_(
    LINK,
    INVITATIONS.c.completed_at.is_(None),
    INVITATIONS.c.draft_version == sa.bindparam("seen_version"),
)
_DRAFT_VALUES = {
    "draft": sa.bindparam("new_draft", type_=INVITATIONS.c.draft.type),
    "draft_version": INVITATIONS.c.draft_version + 1,
    "opened_at": sa.func.coalesce(INVITATIONS.c.opened_at, sa.bindparam("now")),
}
SAVE_DRAFT = sa.update(INVITATIONS).where(_AS_READ).values(_DRAFT_VALUES)
SAVE_TOPIC = sa.update(INVITATIONS).where(LINK).values(topic=sa.bindparam("new_topic"))
CLAIM = (
    sa.update(INVITATIONS)
    .where(_AS_READ)
    .values({**_DRAFT_VALUES, "completed_at": sa.bindparam("now")})
)
READ_DRAFT = sa.select(
    INVITATIONS.c.draft, INVITATIONS.c.draft_version, INVITATIONS.c.completed_at
).where(LINK)
TRIES = 5  # saves racing another tab: each retry merges what that tab saved
INSERT_RESPONSES = sa.insert(RESPONSES).returning(RESPONSES.c.id, sort_by_parameter_order=True)
INSERT_ANSWERS, INSERT_SCORES = sa.insert(ANSWERS), sa.insert(SCORES)


class BadAnswerError(Refusal):
    """Answers that do not belong to this questionnaire; nothing was saved."""


@dataclass(frozen=True)
class MissingAnswersError(Exception):
    """Items still unanswered, per instrument, in the order of the questionnaire; `link` is the
    link as it then stood (with what another tab saved meanwhile), for the caller to keep."""

    missing: dict[str, list[int]]
    link: OpenLink


@dataclass(frozen=True)
class Submitted:
    critical: bool
    already: bool = False


def with_page(link: OpenLink, instrument: Instrument, form: Mapping[str, str]) -> OpenLink:
    """The link with one page's answers in its draft (all valid, or BadAnswerError); not saved."""
    if instrument.id not in link.instrument_ids:
        raise BadAnswerError("this questionnaire is not part of the link")
    answers = _parsed(instrument, form)
    draft = {key: dict(value) for key, value in link.draft.items()}
    draft.setdefault(instrument.id, {}).update(
        {str(item): value for item, value in answers.items()}
    )
    return replace(link, draft=draft)


def save_draft(link: OpenLink, page: str | None = None) -> OpenLink:
    """Keep the link's draft so the member can go on later, and return the link as saved; the
    caller commits. If another tab saved in between, nothing of it is lost: its draft is read
    again and this request's `page` (an instrument id) laid over it."""
    connection = db.session.connection()
    for _ in range(TRIES):
        saved = connection.execute(SAVE_DRAFT, _draft_params(link, utcnow()))
        if saved.rowcount == 1:
            return replace(link, draft_version=link.draft_version + 1)
        link = _rebased(connection, link, page)
    raise RuntimeError("the draft kept changing while it was saved")


def _draft_params(link: OpenLink, now: datetime) -> dict[str, object]:
    return {
        "link_id": link.id,
        "seen_version": link.draft_version,
        "new_draft": link.draft,
        "now": now,
    }


def _rebased(connection: sa.Connection, link: OpenLink, page: str | None) -> OpenLink:
    """The link with its draft as stored now and this request's page laid over it;
    LinkGoneError when the link was submitted meanwhile."""
    stored = connection.execute(READ_DRAFT, {"link_id": link.id}).one()
    if stored.completed_at is not None:
        raise LinkGoneError("submitted", link.language)
    draft = {key: dict(value) for key, value in (stored.draft or {}).items()}
    if page is not None:
        draft[page] = draft.get(page, {}) | link.draft.get(page, {})
    return replace(link, draft=draft, draft_version=stored.draft_version)


def save_topic(link: OpenLink, raw: str | None) -> None:
    """What the member would like to bring up in the group (empty clears it)."""
    if raw is None:
        return
    text = " ".join(raw.split())
    if len(text) > TOPIC_LENGTH:
        raise BadAnswerError("topic: too long")
    db.session.connection().execute(SAVE_TOPIC, {"link_id": link.id, "new_topic": text or None})


def _parsed(instrument: Instrument, form: Mapping[str, str]) -> dict[int, int]:
    numbers = {item.number for item in instrument.items}
    answers = {}
    for key, raw in form.items():
        if not key.startswith(ITEM_FIELD):
            continue
        try:
            number, value = int(key.removeprefix(ITEM_FIELD)), int(raw)
        except ValueError:
            raise BadAnswerError(f"{key}: not a number") from None
        if number not in numbers:
            raise BadAnswerError(f"{key}: no such question")
        if value not in instrument.item(number).values:
            raise BadAnswerError(f"{key}: not one of the answers")
        answers[number] = value
    return answers


def answers_of(link: OpenLink, instrument_id: str) -> dict[int, int]:
    return {int(k): v for k, v in link.draft.get(instrument_id, {}).items()}


def missing_items(link: OpenLink, library: Library) -> dict[str, list[int]]:
    missing = {}
    for instrument_id in link.instrument_ids:
        given = answers_of(link, instrument_id)
        gaps = [i.number for i in library[instrument_id].items if i.number not in given]
        if gaps:
            missing[instrument_id] = gaps
    return missing


def submit(
    link: OpenLink, library: Library, now: datetime | None = None, page: str | None = None
) -> Submitted:
    """Store the response once, with the link's draft as its last state, in one transaction: a
    second submit (double tap, retry, other tab) changes nothing. A page another tab saved
    meanwhile is taken in (this request's `page` laid over it). With gaps, MissingAnswersError
    and nothing written (the caller may save the link it carries)."""
    moment = now or utcnow()
    connection = db.session.connection()
    for _ in range(TRIES):
        missing = missing_items(link, library)
        if not missing and connection.execute(CLAIM, _draft_params(link, moment)).rowcount == 1:
            break
        try:
            stored = _rebased(connection, link, page)
        except LinkGoneError:
            db.session.rollback()
            return Submitted(critical=False, already=True)
        if missing and stored.draft_version == link.draft_version:
            raise MissingAnswersError(missing, link)  # gaps, and no other tab filled them
        link = stored
    else:
        raise RuntimeError("the draft kept changing while it was submitted")
    if link.referral_id is not None:
        answers = {i: answers_of(link, i) for i in link.instrument_ids}
        critical = store_intake(
            db.session.get(Referral, link.referral_id), answers, library, moment
        )
        if critical:
            _queue_intake_alerts(link)
    else:
        instruments = [library[i] for i in link.instrument_ids]
        critical = _store_responses(connection, link, instruments, moment)
        if critical:
            _raise_critical_flag(link)
    try:
        db.session.commit()
    except IntegrityError:  # another request stored this response first: keep that one
        db.session.rollback()
        return Submitted(critical=False, already=True)
    return Submitted(critical=critical)


def _store_responses(
    connection: sa.Connection, link: OpenLink, instruments: list[Instrument], moment: datetime
) -> bool:
    """One response per instrument with its answers and scores, in three statements however many
    instruments (no ORM unit of work: this is the busiest write of the application); True when
    an answer was critical."""
    answered = [(instrument, answers_of(link, instrument.id)) for instrument in instruments]
    results = [score(instrument, answers) for instrument, answers in answered]
    response_ids = (
        connection.execute(
            INSERT_RESPONSES,
            [
                {
                    "membership_id": link.membership_id,
                    "session_id": link.session_id,
                    "invitation_id": link.id,
                    "instrument_id": instrument.id,
                    "instrument_version": instrument.version,
                    "completed_at": moment,
                    "source": ResponseSource.PHONE,
                }
                for instrument, _ in answered
            ],
        )
        .scalars()
        .all()
    )
    connection.execute(
        INSERT_ANSWERS,
        [
            {"response_id": response_id, "item": item, "value": value}
            for response_id, (_, answers) in zip(response_ids, answered, strict=True)
            for item, value in sorted(answers.items())
        ],
    )
    connection.execute(
        INSERT_SCORES,
        [
            {
                "response_id": response_id,
                "scale": s.scale,
                "raw": s.raw,
                "value": s.value,
                "items_missing": s.items_missing,
                "band": s.band,
            }
            for response_id, result in zip(response_ids, results, strict=True)
            for s in result.scales.values()
        ],
    )
    return any(result.critical for result in results)


def alert_on_saved_critical(link: OpenLink, library: Library) -> bool:
    """A critical answer on a page the member saved but has not sent is already something they
    told us: the therapists are alerted now (once per link, the same alert a submit sends) and
    a critical flag is raised, marked as not submitted. The caller commits. True when an answer
    in the draft is critical."""
    if not any(critical_answers(library[i], answers_of(link, i)) for i in link.instrument_ids):
        return False
    if link.referral_id is not None:
        _queue_intake_alerts(link)
    else:
        _raise_critical_flag(link, submitted=False)
    return True


def _raise_critical_flag(link: OpenLink, submitted: bool = True) -> None:
    """Raise (or extend) the member's critical flag and alert the group's therapists; a flag
    raised from a saved page says so until the response is sent."""
    session_number, group_id = link.session_number, link.group_id
    reason = "critical_answer" if submitted else "critical_answer_unsent"
    flag = db.session.scalar(
        sa.select(Flag).where(
            Flag.membership_id == link.membership_id,
            Flag.kind == FlagKind.CRITICAL_ITEM,
            Flag.status == FlagStatus.OPEN,
        )
    )
    if flag is None:
        db.session.add(
            Flag(
                group_id=group_id,
                membership_id=link.membership_id,
                kind=FlagKind.CRITICAL_ITEM,
                severity=Severity.CRITICAL,
                reasons=[{"code": reason}],
                suggested_action="contact_today",
                raised_session=session_number,
                last_session=session_number,
            )
        )
    else:
        flag.last_session = max(flag.last_session, session_number)
        if submitted:
            flag.reasons = [{"code": reason}]
    _queue_alerts(link, db.session.get(Group, group_id))


def _queue_intake_alerts(link: OpenLink) -> None:
    """A critical answer at intake has no group therapists yet: every therapist is told that a
    referral needs attention now."""
    therapists = db.session.scalars(
        sa.select(StaffUser)
        .where(StaffUser.holding(Role.THERAPIST), StaffUser.active)
        .order_by(StaffUser.id)
    ).all()
    page = link_to("staff.referral", referral_id=link.referral_id)
    _alert(therapists, f"intake-alert:{link.id}", INTAKE_ALERT, page)


def _queue_alerts(link: OpenLink, group: Group) -> None:
    """An e-mail to each of the group's therapists: that something needs them, nothing more."""
    _alert(group.therapists, f"critical-alert:{link.id}", CRITICAL_ALERT, link_to("staff.caseload"))


def _alert(therapists: list[StaffUser], key: str, text: MessageText, page: str) -> None:
    """The alert to each therapist in their own language, once per therapist (key:therapist
    id): an alert already queued (from a saved page, then the submit) is not queued again."""
    for therapist in therapists:
        message = compose(text, therapist.language, link=page)
        enqueue(f"{key}:{therapist.id}", "alert", therapist.email, message)

"""A member's answers: saved page by page, submitted once, scored and stored in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from questionnaires import Instrument, Library, score
from rom.extensions import db
from rom.models import (
    TOPIC_LENGTH,
    Answer,
    Channel,
    Flag,
    FlagKind,
    FlagStatus,
    Group,
    Invitation,
    OutboxMessage,
    Response,
    ResponseSource,
    Role,
    Score,
    Severity,
    StaffUser,
    utcnow,
)
from rom.services.intake import store_intake

ITEM_FIELD = "item-"


class BadAnswerError(ValueError):
    """Answers that do not belong to this questionnaire; nothing was saved."""


@dataclass(frozen=True)
class MissingAnswersError(Exception):
    """Items still unanswered, per instrument, in the order of the questionnaire."""

    missing: dict[str, list[int]]


@dataclass(frozen=True)
class Submitted:
    critical: bool
    already: bool = False


def save_page(invitation: Invitation, instrument: Instrument, form: Mapping[str, str]) -> None:
    """Put the answers of one page in the invitation's draft (all valid, or none); the caller
    commits, so a submission stores the last page and the response in one transaction."""
    if instrument.id not in invitation.instrument_ids:
        raise BadAnswerError("this questionnaire is not part of the link")
    answers = _parsed(instrument, form)
    draft = {key: dict(value) for key, value in (invitation.draft or {}).items()}
    draft.setdefault(instrument.id, {}).update(
        {str(item): value for item, value in answers.items()}
    )
    invitation.draft = draft
    invitation.opened_at = invitation.opened_at or utcnow()


def save_topic(invitation: Invitation, raw: str | None) -> None:
    """What the member would like to bring up in the group (empty clears it)."""
    if raw is None:
        return
    text = " ".join(raw.split())
    if len(text) > TOPIC_LENGTH:
        raise BadAnswerError("topic: too long")
    invitation.topic = text or None


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


def answers_of(invitation: Invitation, instrument_id: str) -> dict[int, int]:
    return {int(k): v for k, v in (invitation.draft or {}).get(instrument_id, {}).items()}


def missing_items(invitation: Invitation, library: Library) -> dict[str, list[int]]:
    missing = {}
    for instrument_id in invitation.instrument_ids:
        given = answers_of(invitation, instrument_id)
        gaps = [i.number for i in library[instrument_id].items if i.number not in given]
        if gaps:
            missing[instrument_id] = gaps
    return missing


def submit(invitation: Invitation, library: Library, now: datetime | None = None) -> Submitted:
    """Store the response once: a second submit (double tap, retry, other tab) changes nothing."""
    missing = missing_items(invitation, library)
    if missing:
        raise MissingAnswersError(missing)
    moment = now or utcnow()
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.completed_at.is_(None))
        .values(completed_at=moment)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        return Submitted(critical=False, already=True)
    if invitation.referral_id is not None:
        answers = {i: answers_of(invitation, i) for i in invitation.instrument_ids}
        critical = store_intake(invitation.referral, answers, library, moment)
        if critical:
            _queue_intake_alerts(invitation)
    else:
        critical = False
        for instrument_id in invitation.instrument_ids:
            critical |= _store_response(invitation, library[instrument_id], moment)
        if critical:
            _raise_critical_flag(invitation)
    try:
        db.session.commit()
    except IntegrityError:  # another request stored this response first: keep that one
        db.session.rollback()
        return Submitted(critical=False, already=True)
    return Submitted(critical=critical)


def _store_response(invitation: Invitation, instrument: Instrument, moment: datetime) -> bool:
    answers = answers_of(invitation, instrument.id)
    result = score(instrument, answers)
    response = Response(
        membership_id=invitation.membership_id,
        session_id=invitation.session_id,
        invitation_id=invitation.id,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        completed_at=moment,
        source=ResponseSource.PHONE,
        answers=[Answer(item=item, value=value) for item, value in sorted(answers.items())],
        scores=[
            Score(
                scale=s.scale, raw=s.raw, value=s.value, items_missing=s.items_missing, band=s.band
            )
            for s in result.scales.values()
        ],
    )
    db.session.add(response)
    return bool(result.critical)


def _raise_critical_flag(invitation: Invitation) -> None:
    session_number = invitation.session.number
    group_id = invitation.membership.group_id
    flag = db.session.scalar(
        sa.select(Flag).where(
            Flag.membership_id == invitation.membership_id,
            Flag.kind == FlagKind.CRITICAL_ITEM,
            Flag.status == FlagStatus.OPEN,
        )
    )
    if flag is None:
        db.session.add(
            Flag(
                group_id=group_id,
                membership_id=invitation.membership_id,
                kind=FlagKind.CRITICAL_ITEM,
                severity=Severity.CRITICAL,
                reasons=[{"code": "critical_answer"}],
                suggested_action="contact_today",
                raised_session=session_number,
                last_session=session_number,
            )
        )
    else:
        flag.last_session = session_number
    _queue_alerts(invitation, db.session.get(Group, group_id))


def _queue_intake_alerts(invitation: Invitation) -> None:
    """A critical answer at intake has no group therapists yet: every therapist is told that a
    referral needs attention now."""
    link = f"{current_app.config['BASE_URL']}/staff/referrals/{invitation.referral_id}"
    therapists = db.session.scalars(
        sa.select(StaffUser).where(StaffUser.role == Role.THERAPIST).order_by(StaffUser.id)
    ).all()
    _alert(
        therapists,
        f"intake-alert:{invitation.id}",
        "Kring: een aanmelding vraagt direct aandacht",
        "Bij een aanmelding voor groepsbehandeling is een antwoord gegeven dat direct aandacht "
        f"vraagt.\nLog in om het te bekijken: {link}\n\n"
        "An answer at a referral for group treatment needs attention now.\n"
        f"Log in to see it: {link}\n",
    )


def _queue_alerts(invitation: Invitation, group: Group) -> None:
    """An e-mail to each of the group's therapists: that something needs them, nothing more."""
    link = f"{current_app.config['BASE_URL']}/staff/flags"
    _alert(
        group.therapists,
        f"critical-alert:{invitation.id}",
        "Kring: een signaal vraagt direct uw aandacht",
        "Er is in Kring een signaal binnengekomen dat direct uw aandacht vraagt.\n"
        f"Log in om het te bekijken: {link}\n\n"
        "A signal in Kring needs your attention now.\n"
        f"Log in to see it: {link}\n",
    )


def _alert(therapists: list[StaffUser], key: str, subject: str, body: str) -> None:
    """The same alert e-mail to each therapist, once per therapist (key:therapist id)."""
    for therapist in therapists:
        db.session.add(
            OutboxMessage(
                dedupe_key=f"{key}:{therapist.id}",
                purpose="alert",
                channel=Channel.EMAIL,
                recipient=therapist.email,
                subject=subject,
                body=body,
            )
        )

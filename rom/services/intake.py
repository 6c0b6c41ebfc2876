"""The intake questionnaire of a referred client: a personal link (the same phone pages as the
session questionnaires) with the symptom measures and the readiness questionnaire; the answers
and scores are kept on the referral, in one transaction with the link's use."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from questionnaires import Library, score
from rom.extensions import db
from rom.links import link_to
from rom.messaging.texts import INTAKE, SMS_INTAKE, compose
from rom.models import Invitation, Referral, ReferralStatus, utcnow
from rom.refusals import Refusal
from rom.services.planning import client_message
from rom.tokens import new_token

INTAKE_INSTRUMENTS = ("phq9", "gad7", "readiness")
INTAKE_VALID_DAYS = 14


class IntakeError(Refusal):
    """An intake link that cannot be sent; nothing was changed."""


def send_intake(referral: Referral, now: datetime | None = None) -> Invitation:
    """A new intake link for a waiting referral, its message queued in the outbox."""
    if referral.status != ReferralStatus.WAITING:
        raise IntakeError(_l("Deze verwijzing wacht niet meer."))
    if referral.intake is not None:
        raise IntakeError(_l("De intakevragenlijst is al ingevuld."))
    client = referral.client
    if client.reachable_by is None:
        raise IntakeError(
            _l("Geen e-mailadres of mobiel nummer waarvoor de cliënt toestemming gaf.")
        )
    moment = now or utcnow()
    token, hashed = new_token()
    invitation = Invitation(
        referral=referral,
        instrument_ids=list(INTAKE_INSTRUMENTS),
        token_hash=hashed,
        send_at=moment,
        expires_at=moment + timedelta(days=INTAKE_VALID_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    link = link_to("clientflow.questionnaire", token=token)
    by_email = client.reachable_by == "email"
    text = compose(INTAKE if by_email else SMS_INTAKE, client.language.value, link=link)
    db.session.add(
        client_message(invitation, client, f"intake:{invitation.id}", "invitation", text, moment)
    )
    return invitation


def store_intake(
    referral: Referral, answers: dict[str, dict[int, int]], library: Library, moment: datetime
) -> bool:
    """Score the intake answers and keep them on the referral; True when an answer is critical."""
    scores, critical = {}, False
    for instrument_id, given in answers.items():
        result = score(library[instrument_id], given)
        scores[instrument_id] = {s.scale: s.value for s in result.scales.values()}
        critical |= bool(result.critical)
    referral.intake = {
        "completed_at": moment.isoformat(),
        "answers": {i: {str(k): v for k, v in sorted(a.items())} for i, a in answers.items()},
        "scores": scores,
        "critical": critical,
    }
    return critical


def readiness_of(referral: Referral) -> float:
    """Readiness for a group on a 0-1 scale (NaN until the intake questionnaire is answered)."""
    return _intake_score(referral, "readiness", "readiness") / 4.0


def intake_phq9(referral: Referral) -> float:
    """The PHQ-9 total of the intake questionnaire (NaN until answered)."""
    return _intake_score(referral, "phq9", "total")


def _intake_score(referral: Referral, instrument: str, scale: str) -> float:
    scores = (referral.intake or {}).get("scores", {})
    value = (scores.get(instrument) or {}).get(scale)
    return float("nan") if value is None else float(value)

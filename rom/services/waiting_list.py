"""The waiting list: referring a client for group treatment, recording the intake therapist's
judgement of suitability, the open places of each group, and placing a client in a group (which
enrols them; the planner then sends their questionnaires). Every refusal is a WaitingListError
with a message in the reader's language, raised before anything is changed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from rom.analytics.matching import slot_of
from rom.clock import organisation_today
from rom.extensions import db
from rom.i18n import joined
from rom.models import (
    CONTRA_INDICATIONS,
    RATINGS,
    SUITABILITY_FACTORS,
    Client,
    Decision,
    Group,
    GroupFormat,
    GroupKind,
    GroupSession,
    Language,
    Membership,
    Referral,
    ReferralStatus,
    Response,
    Score,
    StaffUser,
    Suitability,
    in_group_at,
    utcnow,
)
from rom.refusals import Refusal
from rom.services.enrolment import (
    EnrolmentError,
    enrol_known,
    refuse_taken_code,
    session_to_join,
)
from rom.services.intake import intake_phq9, readiness_of

SLOT = re.compile(r"^[0-6]:(morning|afternoon|evening)$")
WAITING_COLUMNS = [
    "client_id",
    "kind",
    "language",
    "referred_on",
    "readiness",
    "decision",
    "contraindicated",
    "slots",
]
GROUP_COLUMNS = ["group_id", "kind", "language", "slot", "open_places", "next_entry"]


class WaitingListError(Refusal):
    """A referral, judgement or placement that cannot be done as asked; nothing was changed."""


@dataclass(frozen=True)
class NewReferral:
    code: str
    first_name: str
    email: str | None
    phone: str | None
    language: str | None
    kind: str | None  # None: any kind of group
    availability: list[str]
    referrer: str
    referred_on: date
    notes: str | None = None


@dataclass(frozen=True)
class Judgement:
    factors: dict[str, str]
    decision: str
    reason: str
    contra_indications: list[str] = field(default_factory=list)


def refer(new: NewReferral, today: date | None = None, known: Client | None = None) -> Referral:
    """A referral on the waiting list for a new client under an unused code, or for a `known`
    client (whom the caller checked the user may see; their contact details are kept)."""
    _check_referral(new, today or organisation_today(), known)
    if known is None:
        try:
            refuse_taken_code(new.code.strip())
        except EnrolmentError as refused:
            raise WaitingListError(*refused.args) from refused
        client = Client(
            code=new.code.strip(),
            first_name=new.first_name.strip(),
            email=new.email or None,
            phone=new.phone or None,
            language=Language(new.language),
        )
        db.session.add(client)
    else:
        client = known
        if db.session.scalar(
            sa.select(Referral.id).where(
                Referral.client_id == client.id, Referral.status == ReferralStatus.WAITING
            )
        ):
            raise WaitingListError(_l("Deze cliënt staat al op de wachtlijst."))
    referral = Referral(
        client=client,
        referred_on=new.referred_on,
        kind=GroupKind(new.kind) if new.kind else None,
        language=Language(new.language),
        availability=sorted(set(new.availability)),
        referrer=new.referrer.strip(),
        notes=(new.notes or "").strip() or None,
    )
    db.session.add(referral)
    db.session.flush()
    return referral


def _check_referral(new: NewReferral, today: date, known: Client | None) -> None:
    problems = []
    if not new.code.strip():
        problems.append(_l("Vul de code van de cliënt in."))
    if known is None and not new.first_name.strip():
        problems.append(_l("Vul de voornaam in."))
    if new.language not in {language.value for language in Language}:
        problems.append(_l("Kies de taal waarin de cliënt behandeld wil worden."))
    if new.kind and new.kind not in {kind.value for kind in GroupKind}:
        problems.append(_l("Onbekende soort groep."))
    if not new.availability or not all(SLOT.match(slot) for slot in new.availability):
        problems.append(_l("Kies ten minste één dagdeel waarop de cliënt kan komen."))
    if known is None and not (new.email or new.phone):
        problems.append(_l("Vul een e-mailadres of mobiel nummer in."))
    if not new.referrer.strip():
        problems.append(_l("Vul in wie de cliënt verwees."))
    if new.referred_on > today:
        problems.append(_l("De verwijsdatum ligt in de toekomst."))
    if problems:
        raise WaitingListError(joined(problems))


def judge(referral: Referral, judgement: Judgement, assessor: StaffUser) -> Suitability:
    """Record (or replace) the intake therapist's judgement of suitability."""
    _check_judgement(judgement)
    with db.session.no_autoflush:
        assessment = referral.assessment or Suitability(referral=referral)
        assessment.factors = {name: judgement.factors[name] for name in SUITABILITY_FACTORS}
        assessment.contra_indications = sorted(set(judgement.contra_indications))
        assessment.decision = Decision(judgement.decision)
        assessment.reason = judgement.reason.strip()
        assessment.assessed_by_id = assessor.id
        assessment.assessed_at = utcnow()
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _check_judgement(judgement: Judgement) -> None:
    problems = []
    if any(judgement.factors.get(name) not in RATINGS for name in SUITABILITY_FACTORS):
        problems.append(_l("Beoordeel elke factor."))
    if any(code not in CONTRA_INDICATIONS for code in judgement.contra_indications):
        problems.append(_l("Onbekende contra-indicatie."))
    if judgement.decision not in {decision.value for decision in Decision}:
        problems.append(_l("Kies een besluit."))
    elif judgement.decision == Decision.SUITABLE and judgement.contra_indications:
        problems.append(_l("Geschikt voor een groep kan niet samen met een contra-indicatie."))
    if not judgement.reason.strip():
        problems.append(_l("Schrijf de reden van het besluit op."))
    if problems:
        raise WaitingListError(joined(problems))


def members_at(group: Group, number: int) -> int:
    """How many members the group has at session `number`."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Membership).where(in_group_at(group.id, number))
    )


def open_places(group: Group, today: date | None = None) -> int:
    """Places a new member could take now: a closed group before its start, a slow-open group at
    its next session still to come; none when the group has ended or (closed) has begun."""
    return _places_at(group, session_to_join(group, today or organisation_today()))


def _places_at(group: Group, number: int) -> int:
    if number > group.planned_sessions or (group.format == GroupFormat.CLOSED and number > 1):
        return 0
    return max(group.intended_size - members_at(group, number), 0)


def place(referral: Referral, group: Group, today: date | None = None) -> Membership:
    """Enrol the referred client in the group; the referral is then placed."""
    if referral.status != ReferralStatus.WAITING:
        raise WaitingListError(_l("Deze verwijzing staat niet meer op de wachtlijst."))
    assessment = referral.assessment
    if assessment is None or assessment.decision != Decision.SUITABLE:
        raise WaitingListError(
            _l("Alleen een cliënt die geschikt is bevonden voor een groep kan geplaatst worden.")
        )
    today = today or organisation_today()
    if open_places(group, today) <= 0:
        raise WaitingListError(_l("Deze groep heeft geen open plaats."))
    try:
        membership = enrol_known(group, referral.client, today, from_day=today)
    except EnrolmentError as refused:
        raise WaitingListError(*refused.args) from refused
    referral.status = ReferralStatus.PLACED
    referral.placed_membership_id = membership.id
    db.session.flush()
    return membership


def waiting_frame() -> pd.DataFrame:
    """The waiting referrals as the matching reads them (client_id is the referral's id)."""
    referrals = db.session.scalars(
        sa.select(Referral)
        .where(Referral.status == ReferralStatus.WAITING)
        .options(selectinload(Referral.assessment))
    ).all()
    return pd.DataFrame(
        [
            {
                "client_id": r.id,
                "kind": r.kind.value if r.kind else None,
                "language": r.language.value,
                "referred_on": r.referred_on,
                "readiness": readiness_of(r),
                "decision": r.assessment.decision.value if r.assessment else None,
                "contraindicated": bool(r.assessment and r.assessment.contra_indications),
                "slots": list(r.availability),
            }
            for r in referrals
        ],
        columns=WAITING_COLUMNS,
    )


def groups_frame(today: date | None = None) -> pd.DataFrame:
    """Groups with an open place now, as the matching reads them; a group's next entry is the
    first session still to come (never a past or cancelled one)."""
    today = today or organisation_today()
    rows = []
    for group in db.session.scalars(sa.select(Group).order_by(Group.code)):
        number = session_to_join(group, today)
        places = _places_at(group, number)
        if places <= 0 or group.weekday is None or group.start_time is None:
            continue
        rows.append(
            {
                "group_id": group.id,
                "kind": group.kind.value,
                "language": group.language.value,
                "slot": slot_of(group.weekday, group.start_time),
                "open_places": places,
                "next_entry": _next_entry(group, number),
            }
        )
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _next_entry(group: Group, number: int) -> date:
    start = db.session.scalar(
        sa.select(GroupSession.planned_start).where(
            GroupSession.group_id == group.id, GroupSession.number == number
        )
    )
    return start.date() if start else group.start_date


def composition_frame(group: Group, proposed: Referral | None) -> pd.DataFrame:
    """The group as it would be at its next open session: its members (intake PHQ-9 from their
    first score) and, when given, the proposed client (from their intake questionnaire)."""
    number = session_to_join(group, organisation_today())
    members = db.session.execute(
        sa.select(Membership.id, Client.code, Client.language)
        .join(Client, Membership.client_id == Client.id)
        .where(in_group_at(group.id, number))
        .order_by(Client.code)
    ).all()
    intakes = _first_phq9([m.id for m in members])
    came_by_referral = {
        r.placed_membership_id: r
        for r in db.session.scalars(
            sa.select(Referral).where(Referral.placed_membership_id.in_([m.id for m in members]))
        )
    }
    rows = [
        {
            "client_id": code,
            "intake": intakes.get(membership_id, float("nan")),
            "readiness": readiness_of(came_by_referral[membership_id])
            if membership_id in came_by_referral
            else float("nan"),
            "language": language.value,
            "proposed": False,
        }
        for membership_id, code, language in members
    ]
    if proposed is not None:
        rows.append(
            {
                "client_id": proposed.client.code,
                "intake": intake_phq9(proposed),
                "readiness": readiness_of(proposed),
                "language": proposed.language.value,
                "proposed": True,
            }
        )
    return pd.DataFrame(rows, columns=["client_id", "intake", "readiness", "language", "proposed"])


def _first_phq9(membership_ids: list[int]) -> dict[int, float]:
    rows = db.session.execute(
        sa.select(Response.membership_id, GroupSession.number, Score.value)
        .join(Score, Score.response_id == Response.id)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .where(
            Response.membership_id.in_(membership_ids),
            Response.instrument_id == "phq9",
            Score.scale == "total",
            Score.value.is_not(None),
        )
        .order_by(GroupSession.number)
    ).all()
    first: dict[int, float] = {}
    for membership_id, _number, value in rows:
        first.setdefault(membership_id, float(value))
    return first

"""A member's answers as a clinician reads them: per session and questionnaire, each question's
text and the answer chosen, in the reader's language, with critical answers marked."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from questionnaires.model import Instrument
from rom.extensions import db
from rom.instruments import in_language, library
from rom.models import Answer, GroupSession
from rom.models import Response as QuestionnaireResponse

SYMPTOMS_FIRST = {"phq9": 0, "gad7": 1}


def symptoms_first(instrument_id: str) -> tuple[int, str]:
    """Sort key: PHQ-9, GAD-7, then the other instruments by id."""
    return SYMPTOMS_FIRST.get(instrument_id, 2), instrument_id


@dataclass(frozen=True)
class AnswerLine:
    number: int
    question: str
    answer: str | None  # None: left open
    critical: bool


@dataclass(frozen=True)
class AnsweredQuestionnaire:
    title: str
    lines: tuple[AnswerLine, ...]

    @property
    def critical(self) -> bool:
        return any(line.critical for line in self.lines)


def member_answers(membership_id: int, language: str) -> dict[int, list[AnsweredQuestionnaire]]:
    """Per session number: the questionnaires answered, symptoms first."""
    rows = db.session.execute(
        sa.select(
            GroupSession.number, QuestionnaireResponse.instrument_id, Answer.item, Answer.value
        )
        .join(Answer, Answer.response_id == QuestionnaireResponse.id)
        .join(GroupSession, QuestionnaireResponse.session_id == GroupSession.id)
        .where(QuestionnaireResponse.membership_id == membership_id)
        .order_by(GroupSession.number, Answer.item)
    ).all()
    grouped: dict[int, dict[str, list[tuple[int, int | None]]]] = {}
    for number, instrument_id, item, value in rows:
        grouped.setdefault(number, {}).setdefault(instrument_id, []).append((item, value))
    instruments = library()
    return {
        number: [
            _questionnaire(instruments[instrument_id], answers, language)
            for instrument_id, answers in sorted(
                by_instrument.items(), key=lambda pair: symptoms_first(pair[0])
            )
        ]
        for number, by_instrument in grouped.items()
    }


def _questionnaire(
    instrument: Instrument, answers: list[tuple[int, int | None]], language: str
) -> AnsweredQuestionnaire:
    lines = []
    for number, value in answers:
        item = instrument.item(number)
        chosen = next((o for o in item.options if o.value == value), None)
        lines.append(
            AnswerLine(
                number=number,
                question=in_language(item.text, language),
                answer=in_language(chosen.label, language) if chosen else None,
                critical=any(
                    c.item == number and value in c.values for c in instrument.critical_items
                ),
            )
        )
    return AnsweredQuestionnaire(in_language(instrument.title, language), tuple(lines))

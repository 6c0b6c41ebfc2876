"""FHIR R4 Questionnaire and QuestionnaireResponse as plain dicts (validated in the tests).

Item and option texts are in the instrument's first language with the standard translation
extension for the others; what FHIR has no element for (scales, norms, bands, critical items)
travels in one Kring extension, so an exported instrument imports back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from questionnaires.definition import scoring_part, to_definition
from questionnaires.loading import InstrumentFileError, load_definition
from questionnaires.model import Instrument, Text
from questionnaires.scoring import ScoreResult

CANONICAL = "https://kring.example/fhir"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
DEFINITION = f"{CANONICAL}/StructureDefinition/instrument-definition"
SCALE_SCORE = f"{CANONICAL}/StructureDefinition/scale-score"
MEMBER_CODE = f"{CANONICAL}/member-code"


def _fhir_id(instrument_id: str) -> str:
    return instrument_id.replace("_", "-")


def options_system(instrument_id: str) -> str:
    return f"{CANONICAL}/CodeSystem/{_fhir_id(instrument_id)}-options"


def _text(text: Text, primary: str, others: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    translations = [
        {
            "url": TRANSLATION,
            "extension": [
                {"url": "lang", "valueCode": language},
                {"url": "content", "valueString": text[language]},
            ],
        }
        for language in others
    ]
    return text[primary], {"extension": translations}


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    primary, others = instrument.languages[0], instrument.languages[1:]
    title, title_ext = _text(instrument.title, primary, others)
    return {
        "resourceType": "Questionnaire",
        "id": _fhir_id(instrument.id),
        "url": f"{CANONICAL}/Questionnaire/{instrument.id}",
        "version": instrument.version,
        "name": "".join(part.title() for part in instrument.id.split("_")),
        "title": title,
        "_title": title_ext,
        "status": "active",
        "language": primary,
        "description": instrument.instructions[primary],
        "copyright": instrument.licence,
        "extension": [
            {
                "url": DEFINITION,
                "valueString": json.dumps(
                    scoring_part(to_definition(instrument)), ensure_ascii=False
                ),
            }
        ],
        "item": [_item(instrument, item.number, primary, others) for item in instrument.items],
    }


def _item(instrument: Instrument, number: int, primary: str, others: tuple[str, ...]) -> dict:
    item = instrument.item(number)
    text, text_ext = _text(item.text, primary, others)
    options = []
    for option in item.options:
        display, display_ext = _text(option.label, primary, others)
        options.append(
            {
                "valueCoding": {
                    "system": options_system(instrument.id),
                    "code": str(option.value),
                    "display": display,
                    "_display": display_ext,
                },
                "extension": [{"url": ORDINAL, "valueDecimal": option.value}],
            }
        )
    return {
        "linkId": str(number),
        "text": text,
        "_text": text_ext,
        "type": "choice",
        "required": True,
        "answerOption": options,
    }


def instrument_from_questionnaire(resource: Mapping[str, Any]) -> Instrument:
    """Build an instrument from a Questionnaire that carries Kring's scoring definition."""
    source = f"Questionnaire/{resource.get('id', '?')}"
    extension = next((e for e in resource.get("extension", []) if e.get("url") == DEFINITION), None)
    if extension is None:
        raise InstrumentFileError(
            source,
            [
                (
                    "extension",
                    "no Kring scoring definition (scales, norms); add one before importing",
                )
            ],
        )
    definition = json.loads(extension["valueString"])
    languages = definition["languages"]
    definition["items"] = [_item_definition(raw, languages) for raw in resource.get("item", [])]
    return load_definition(definition, source=source)


def _item_definition(raw: Mapping[str, Any], languages: list[str]) -> dict[str, Any]:
    return {
        "number": int(raw["linkId"]),
        "text": _texts(raw["text"], raw.get("_text"), languages),
        "options": [
            {
                "value": int(o["valueCoding"]["code"]),
                "label": _texts(
                    o["valueCoding"]["display"], o["valueCoding"].get("_display"), languages
                ),
            }
            for o in raw.get("answerOption", [])
        ],
    }


def _texts(primary_text: str, extension: Mapping[str, Any] | None, languages: list[str]) -> dict:
    texts = {languages[0]: primary_text}
    for translation in (extension or {}).get("extension", []):
        parts = {
            p["url"]: p.get("valueCode") or p.get("valueString")
            for p in translation.get("extension", [])
        }
        texts[parts["lang"]] = parts["content"]
    return texts


def questionnaire_response(
    instrument: Instrument,
    answers: Mapping[int, int],
    *,
    response_id: str,
    member_code: str,
    authored: datetime,
    scores: ScoreResult | None = None,
    language: str = "nl",
) -> dict[str, Any]:
    """A completed QuestionnaireResponse; the member is named only by pseudonymous code."""
    moment = authored.replace(tzinfo=authored.tzinfo or UTC).astimezone(UTC)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{CANONICAL}/Questionnaire/{instrument.id}|{instrument.version}",
        "status": "completed",
        "language": language,
        "subject": {"identifier": {"system": MEMBER_CODE, "value": member_code}},
        "authored": moment.isoformat().replace("+00:00", "Z"),
        "item": [
            _answer(instrument, number, value, language)
            for number, value in sorted(answers.items())
            if value is not None
        ],
    }
    if scores is not None:
        resource["extension"] = [_score_extension(s) for s in scores.scales.values() if s.valid]
    return resource


def _answer(instrument: Instrument, number: int, value: int, language: str) -> dict[str, Any]:
    item = instrument.item(number)
    option = next(o for o in item.options if o.value == value)
    return {
        "linkId": str(number),
        "text": item.text[language],
        "answer": [
            {
                "valueCoding": {
                    "system": options_system(instrument.id),
                    "code": str(value),
                    "display": option.label[language],
                }
            }
        ],
    }


def _score_extension(scale_score: Any) -> dict[str, Any]:
    parts = [
        {"url": "scale", "valueString": scale_score.scale},
        {"url": "value", "valueDecimal": scale_score.value},
    ]
    if scale_score.band:
        parts.append({"url": "band", "valueString": scale_score.band})
    return {"url": SCALE_SCORE, "extension": parts}

"""FHIR R4 Questionnaire, QuestionnaireResponse and the answer options' CodeSystem as plain dicts
(validated in the tests, and by independent readers in tests/interop).

Every canonical URL starts at the organisation's base (`base`, where the API publishes these
resources), and a resource's id is the last part of its URL. Item and option texts are in the
instrument's first language with the standard translation extension for the others; what FHIR has
no element for (scales, norms, bands, critical items) travels in one Kring extension, so an
exported instrument imports back unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from questionnaires.definition import scoring_part, to_definition
from questionnaires.loading import InstrumentFileError, load_definition
from questionnaires.model import Instrument, Option, Text
from questionnaires.scoring import ScoreResult

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
KRING = "https://kring.nl/fhir"  # Kring's own extensions: the same for every organisation
DEFINITION = f"{KRING}/StructureDefinition/instrument-definition"
SCALE_SCORE = f"{KRING}/StructureDefinition/scale-score"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"


def fhir_id(instrument_id: str) -> str:
    """The instrument's id as FHIR allows it (letters, digits, '-' and '.'): gcq_s is gcq-s."""
    return instrument_id.replace("_", "-")


def questionnaire_url(base: str, instrument_id: str) -> str:
    return f"{base}/Questionnaire/{fhir_id(instrument_id)}"


def options_system(base: str, instrument_id: str) -> str:
    return f"{base}/CodeSystem/{options_id(instrument_id)}"


def options_id(instrument_id: str) -> str:
    return f"{fhir_id(instrument_id)}-options"


def member_code_system(base: str) -> str:
    """The identifier system of the members' pseudonymous codes at this organisation."""
    return f"{base}/member-code"


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


def questionnaire(instrument: Instrument, base: str) -> dict[str, Any]:
    """The instrument as a Questionnaire. No item is required: Kring accepts a page with a
    question left open and scores a scale while few enough are missing (its `max_missing`)."""
    primary, others = instrument.languages[0], instrument.languages[1:]
    title, title_ext = _text(instrument.title, primary, others)
    return {
        "resourceType": "Questionnaire",
        "id": fhir_id(instrument.id),
        "url": questionnaire_url(base, instrument.id),
        "version": instrument.version,
        "name": _name(instrument),
        "title": title,
        "_title": title_ext,
        "status": "active",
        "language": primary,
        "description": instrument.instructions[primary],
        "copyright": instrument.licence,
        **_code(instrument, instrument.standard_codes and instrument.standard_codes.instrument),
        "extension": [
            {
                "url": DEFINITION,
                "valueString": json.dumps(
                    scoring_part(to_definition(instrument)), ensure_ascii=False
                ),
            }
        ],
        "item": [
            _item(instrument, item.number, primary, others, base) for item in instrument.items
        ],
    }


def _item(
    instrument: Instrument, number: int, primary: str, others: tuple[str, ...], base: str
) -> dict:
    item = instrument.item(number)
    text, text_ext = _text(item.text, primary, others)
    options = [
        {
            "valueCoding": _answer_coding(instrument, number, option, primary, others, base),
            "extension": [{"url": ORDINAL, "valueDecimal": option.value}],
        }
        for option in item.options
    ]
    codes = instrument.standard_codes
    return {
        "linkId": str(number),
        **_code(instrument, codes and codes.items.get(number)),
        "text": text,
        "_text": text_ext,
        "type": "choice",
        "required": False,
        "answerOption": options,
    }


def _code(instrument: Instrument, code: str | None) -> dict[str, Any]:
    """A `code` element in the instrument's standard code system, or nothing."""
    if code is None or instrument.standard_codes is None:
        return {}
    return {"code": [{"system": instrument.standard_codes.system, "code": code}]}


def _answer_coding(
    instrument: Instrument,
    number: int,
    option: Option,
    primary: str,
    others: tuple[str, ...],
    base: str,
) -> dict[str, Any]:
    """An option as Questionnaire and response both code it: in the standard code system where
    the instrument has one (LOINC answers), else in Kring's own CodeSystem of its options."""
    display, display_ext = _text(option.label, primary, others)
    codes = instrument.standard_codes
    if has_own_options(instrument) or codes is None:
        system, code = options_system(base, instrument.id), str(option.value)
    else:
        system, code = codes.system, codes.option(number, option.value)
    return {"system": system, "code": code, "display": display, "_display": display_ext}


def _name(instrument: Instrument) -> str:
    """A computer-friendly name (gcq_s is GcqS)."""
    return "".join(part.title() for part in instrument.id.split("_"))


def has_own_options(instrument: Instrument) -> bool:
    """Whether the instrument's options are coded in Kring's own CodeSystem (no standard)."""
    return instrument.standard_codes is None or not instrument.standard_codes.options


def options_code_system(instrument: Instrument, base: str) -> dict[str, Any]:
    """The CodeSystem of the instrument's answer options (every item has the same options), so
    a receiver can resolve the codes in its answers."""
    primary, others = instrument.languages[0], instrument.languages[1:]
    title, title_ext = _text(instrument.title, primary, others)
    return {
        "resourceType": "CodeSystem",
        "id": options_id(instrument.id),
        "url": options_system(base, instrument.id),
        "version": instrument.version,
        "name": _name(instrument) + "Options",
        "title": title,
        "_title": title_ext,
        "status": "active",
        "language": primary,
        "content": "complete",
        "caseSensitive": True,
        "count": len(instrument.items[0].options),
        "concept": [
            {
                "code": str(option.value),
                "display": option.label[primary],
                "designation": [
                    {"language": language, "value": option.label[language]} for language in others
                ],
            }
            for option in instrument.items[0].options
        ],
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
                "value": _ordinal(o),
                "label": _texts(
                    o["valueCoding"]["display"], o["valueCoding"].get("_display"), languages
                ),
            }
            for o in raw.get("answerOption", [])
        ],
    }


def _ordinal(option: Mapping[str, Any]) -> int:
    """An option's value: its ordinal value (whatever its code), else its code."""
    ordinal = next((e for e in option.get("extension", []) if e.get("url") == ORDINAL), None)
    return int(ordinal["valueDecimal"] if ordinal else option["valueCoding"]["code"])


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
    answers: Mapping[int, int | None],
    *,
    base: str,
    response_id: str,
    member_code: str,
    authored: datetime,
    scores: ScoreResult | None = None,
) -> dict[str, Any]:
    """A completed QuestionnaireResponse; the member is named only by pseudonymous code.

    Items and answers are written exactly as the Questionnaire writes them (its first language,
    the others in translation extensions), so a client loads every answer whatever language the
    member answered in. A question left open is left out, as the Questionnaire allows."""
    primary, others = instrument.languages[0], instrument.languages[1:]
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{questionnaire_url(base, instrument.id)}|{instrument.version}",
        "status": "completed",
        "language": primary,
        "subject": {"identifier": {"system": member_code_system(base), "value": member_code}},
        "authored": _instant(authored),
        "item": [
            _answer(instrument, number, value, primary, others, base)
            for number, value in sorted(answers.items())
            if value is not None
        ],
    }
    if scores is not None:
        resource["extension"] = [_score_extension(s) for s in scores.scales.values() if s.valid]
    return resource


def _answer(
    instrument: Instrument,
    number: int,
    value: int,
    primary: str,
    others: tuple[str, ...],
    base: str,
) -> dict[str, Any]:
    item = instrument.item(number)
    option = next(o for o in item.options if o.value == value)
    text, text_ext = _text(item.text, primary, others)
    return {
        "linkId": str(number),
        "text": text,
        "_text": text_ext,
        "answer": [
            {"valueCoding": _answer_coding(instrument, number, option, primary, others, base)}
        ],
    }


def score_observations(
    instrument: Instrument,
    scores: ScoreResult,
    *,
    base: str,
    response_id: str,
    member_code: str,
    authored: datetime,
) -> list[dict[str, Any]]:
    """Each valid scale score with a standard code (the PHQ-9 total as LOINC 44261-6) as an
    Observation derived from its response, as a receiving record expects a score."""
    codes = instrument.standard_codes
    if codes is None:
        return []
    primary = instrument.languages[0]
    observations = []
    for scale_id, code in codes.scales.items():
        result = scores.scales[scale_id]
        if not result.valid or result.value is None:
            continue
        scale = instrument.scale(scale_id)
        observations.append(
            {
                "resourceType": "Observation",
                "id": f"{response_id}-{fhir_id(scale_id)}",
                "status": "final",
                "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
                "code": {
                    "coding": [{"system": codes.system, "code": code}],
                    "text": scale.title[primary],
                },
                "subject": {
                    "identifier": {"system": member_code_system(base), "value": member_code}
                },
                "effectiveDateTime": _instant(authored),
                "valueQuantity": {
                    "value": result.value,
                    "unit": "{score}",
                    "system": UCUM,
                    "code": "{score}",
                },
                "derivedFrom": [{"reference": f"QuestionnaireResponse/{response_id}"}],
            }
        )
    return observations


def _instant(moment: datetime) -> str:
    """A stored moment (naive is UTC) as FHIR writes an instant: 2026-03-02T19:15:00Z."""
    utc = moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC)
    return utc.isoformat().replace("+00:00", "Z")


def _score_extension(scale_score: Any) -> dict[str, Any]:
    parts = [
        {"url": "scale", "valueString": scale_score.scale},
        {"url": "value", "valueDecimal": scale_score.value},
    ]
    if scale_score.band:
        parts.append({"url": "band", "valueString": scale_score.band})
    return {"url": SCALE_SCORE, "extension": parts}

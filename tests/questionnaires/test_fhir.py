"""FHIR R4 export validates with fhir.resources; an exported instrument imports back unchanged."""

import json
from datetime import datetime

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from questionnaires import InstrumentFileError, load_library, score
from questionnaires.fhir import instrument_from_questionnaire, questionnaire, questionnaire_response

LIBRARY = load_library()


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7", "gcq_s", "gcs", "readiness"])
def test_round_trip_gives_back_the_same_instrument(instrument_id: str) -> None:
    exported = questionnaire(LIBRARY[instrument_id])
    Questionnaire.model_validate(exported)
    through_json = json.loads(json.dumps(exported))
    assert instrument_from_questionnaire(through_json) == LIBRARY[instrument_id]


def test_questionnaire_carries_both_languages_and_ordinal_values() -> None:
    exported = questionnaire(LIBRARY["phq9"])
    item = exported["item"][8]
    assert item["text"].startswith("Gedachten dat u beter dood")
    translation = item["_text"]["extension"][0]["extension"]
    assert {"url": "lang", "valueCode": "en"} in translation
    assert [o["valueCoding"]["code"] for o in item["answerOption"]] == ["0", "1", "2", "3"]
    assert item["answerOption"][3]["extension"][0]["valueDecimal"] == 3


def test_foreign_questionnaire_without_scoring_is_refused_clearly() -> None:
    exported = questionnaire(LIBRARY["gad7"])
    del exported["extension"]
    with pytest.raises(InstrumentFileError, match="no Kring scoring definition"):
        instrument_from_questionnaire(exported)


def test_questionnaire_response_validates_and_names_only_the_code() -> None:
    instrument = LIBRARY["phq9"]
    answers = {**dict.fromkeys(range(1, 9), 2), 9: 1}
    resource = questionnaire_response(
        instrument,
        answers,
        response_id="r-1",
        member_code="M0001",
        authored=datetime(2026, 3, 2, 19, 15),
        scores=score(instrument, answers),
        language="en",
    )
    parsed = QuestionnaireResponse.model_validate(resource)
    assert parsed.status == "completed"
    assert parsed.subject.identifier.value == "M0001"
    assert resource["authored"] == "2026-03-02T19:15:00Z"
    assert [i["answer"][0]["valueCoding"]["code"] for i in resource["item"]] == ["2"] * 8 + ["1"]
    assert resource["item"][8]["answer"][0]["valueCoding"]["display"] == "Several days"
    score_parts = {
        p["url"]: p.get("valueDecimal", p.get("valueString"))
        for p in resource["extension"][0]["extension"]
    }
    assert score_parts == {"scale": "total", "value": 17.0, "band": "moderately_severe"}

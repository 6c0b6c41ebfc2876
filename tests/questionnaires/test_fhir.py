"""FHIR R4 export validates against the R4 (4.0.1) models; an exported instrument imports back
unchanged; every canonical URL starts at the organisation's base and ends in the resource's id."""

import json
import re
from datetime import datetime

import pytest
from fhirclient.models.codesystem import CodeSystem
from fhirclient.models.observation import Observation
from fhirclient.models.questionnaire import Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse

from questionnaires import InstrumentFileError, load_library, score
from questionnaires.fhir import (
    instrument_from_questionnaire,
    options_code_system,
    questionnaire,
    questionnaire_response,
    score_observations,
)

LIBRARY = load_library()
BASE = "https://rom.ggz-voorbeeld.nl/api/v1/fhir"


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7", "gcq_s", "gcs", "readiness"])
def test_round_trip_gives_back_the_same_instrument(instrument_id: str) -> None:
    exported = questionnaire(LIBRARY[instrument_id], BASE)
    Questionnaire(exported)
    through_json = json.loads(json.dumps(exported))
    assert instrument_from_questionnaire(through_json) == LIBRARY[instrument_id]


@pytest.mark.parametrize("instrument_id", ["gcq_s", "gcs", "readiness"])
def test_urls_start_at_the_base_and_end_in_the_id(instrument_id: str) -> None:
    exported = questionnaire(LIBRARY[instrument_id], BASE)
    assert exported["url"] == f"{BASE}/Questionnaire/{exported['id']}"
    assert re.fullmatch(r"[A-Za-z0-9\-.]{1,64}", exported["id"])
    system = exported["item"][0]["answerOption"][0]["valueCoding"]["system"]
    options = options_code_system(LIBRARY[instrument_id], BASE)
    CodeSystem(options)
    assert system == options["url"] == f"{BASE}/CodeSystem/{options['id']}"
    assert [c["code"] for c in options["concept"]] == [
        o["valueCoding"]["code"] for o in exported["item"][0]["answerOption"]
    ]


def test_no_item_is_required_as_kring_scores_a_scale_with_few_missing() -> None:
    exported = questionnaire(LIBRARY["phq9"], BASE)
    assert {item["required"] for item in exported["item"]} == {False}


def test_questionnaire_carries_both_languages_and_ordinal_values() -> None:
    exported = questionnaire(LIBRARY["phq9"], BASE)
    item = exported["item"][8]
    assert item["text"].startswith("Gedachten dat u beter dood")
    translation = item["_text"]["extension"][0]["extension"]
    assert {"url": "lang", "valueCode": "en"} in translation
    assert [o["valueCoding"]["code"] for o in item["answerOption"]] == [
        "LA6568-5",
        "LA6569-3",
        "LA6570-1",
        "LA6571-9",
    ]  # LOINC's answers to the PHQ-9 (answer list LL358-3)
    assert item["answerOption"][3]["extension"][0]["valueDecimal"] == 3


@pytest.mark.parametrize(
    ("instrument_id", "panel", "items", "total"),
    [
        (
            "phq9",
            "44249-1",
            [
                "44250-9",
                "44255-8",
                "44259-0",
                "44254-1",
                "44251-7",
                "44258-2",
                "44252-5",
                "44253-3",
                "44260-8",
            ],
            "44261-6",
        ),
        (
            "gad7",
            "69737-5",
            ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"],
            "70274-6",
        ),
    ],
)
def test_the_phq9_and_gad7_carry_their_loinc_codes(
    instrument_id: str, panel: str, items: list[str], total: str
) -> None:
    instrument = LIBRARY[instrument_id]
    exported = questionnaire(instrument, BASE)
    assert exported["code"] == [{"system": "http://loinc.org", "code": panel}]
    assert {o["valueCoding"]["system"] for i in exported["item"] for o in i["answerOption"]} == {
        "http://loinc.org"
    }
    assert [i["code"][0]["code"] for i in exported["item"]] == items
    answers = dict.fromkeys(range(1, len(items) + 1), 1)
    observations = score_observations(
        instrument,
        score(instrument, answers),
        base=BASE,
        response_id="r-7",
        member_code="M0001",
        authored=datetime(2026, 3, 2, 19, 15),
    )
    [total_score] = [Observation(o) for o in observations]
    assert total_score.code.coding[0].code == total
    assert total_score.valueQuantity.value == len(items)
    assert total_score.derivedFrom[0].reference == "QuestionnaireResponse/r-7"
    assert total_score.subject.identifier.value == "M0001"


def test_gad7_item_2_is_answered_as_loincs_own_form_answers_it() -> None:
    """LOINC's GAD-7 form answers 68509-9 with LA18938-3 where the other items have LA6570-1."""
    items = questionnaire(LIBRARY["gad7"], BASE)["item"]
    third = [item["answerOption"][2]["valueCoding"]["code"] for item in items]
    assert third == ["LA6570-1", "LA18938-3"] + ["LA6570-1"] * 5
    resource = questionnaire_response(
        LIBRARY["gad7"],
        dict.fromkeys(range(1, 8), 2),
        base=BASE,
        response_id="r-2",
        member_code="M0001",
        authored=datetime(2026, 3, 2, 19, 15),
    )
    assert resource["item"][1]["answer"][0]["valueCoding"]["code"] == "LA18938-3"


def test_a_scale_without_a_valid_score_gives_no_observation() -> None:
    instrument = LIBRARY["phq9"]
    answers = {1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1}  # two missing: too many to score
    about = {"base": BASE, "response_id": "r", "member_code": "M", "authored": datetime(2026, 3, 2)}
    assert score_observations(instrument, score(instrument, answers), **about) == []
    assert score_observations(LIBRARY["gcs"], score(LIBRARY["gcs"], {}), **about) == []


def test_foreign_questionnaire_without_scoring_is_refused_clearly() -> None:
    exported = questionnaire(LIBRARY["gad7"], BASE)
    del exported["extension"]
    with pytest.raises(InstrumentFileError, match="no Kring scoring definition"):
        instrument_from_questionnaire(exported)


def test_questionnaire_response_validates_and_names_only_the_code() -> None:
    instrument = LIBRARY["phq9"]
    answers = {**dict.fromkeys(range(1, 9), 2), 9: 1}
    resource = questionnaire_response(
        instrument,
        answers,
        base=BASE,
        response_id="r-1",
        member_code="M0001",
        authored=datetime(2026, 3, 2, 19, 15),
        scores=score(instrument, answers),
    )
    parsed = QuestionnaireResponse(resource)
    assert parsed.status == "completed"
    assert parsed.subject.identifier.value == "M0001"
    assert resource["authored"] == "2026-03-02T19:15:00Z"
    codes = [i["answer"][0]["valueCoding"]["code"] for i in resource["item"]]
    assert codes == ["LA6570-1"] * 8 + ["LA6569-3"]
    assert resource["questionnaire"] == f"{BASE}/Questionnaire/phq9|{instrument.version}"
    coding = resource["item"][8]["answer"][0]["valueCoding"]
    asked = questionnaire(instrument, BASE)["item"][8]["answerOption"][1]["valueCoding"]
    assert coding == asked  # as the Questionnaire writes it, English in its translation
    english = coding["_display"]["extension"][0]["extension"]
    assert {"url": "content", "valueString": "Several days"} in english
    score_parts = {
        p["url"]: p.get("valueDecimal", p.get("valueString"))
        for p in resource["extension"][0]["extension"]
    }
    assert score_parts == {"scale": "total", "value": 17.0, "band": "moderately_severe"}

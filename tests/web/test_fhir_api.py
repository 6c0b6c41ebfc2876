"""FHIR as FHIR clients ask for it: canonical URLs that resolve at the organisation's own base,
the answer options published as CodeSystems, application/fhir+json negotiated through `_format`
and `Accept`, and answers written as the Questionnaire writes them in either language."""

from __future__ import annotations

from datetime import datetime

import pytest
from fhirclient.models.codesystem import CodeSystem
from fhirclient.models.questionnaire import Questionnaire
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import Answer, Response, ResponseSource
from tests.api_tokens import bearer
from tests.factories import make_group, make_member, make_session

FHIR = "application/fhir+json; fhirVersion=4.0"


@pytest.fixture
def token(app: Flask) -> dict[str, str]:
    return bearer()


def _local(url: str) -> str:
    assert url.startswith("http://kring.test/api/v1/fhir/"), url  # BASE_URL of the tests
    return url.removeprefix("http://kring.test")


@pytest.mark.parametrize("instrument_id", ["gcq_s", "gcs", "readiness"])
def test_every_canonical_url_resolves_to_what_it_names(
    client: FlaskClient, token: dict[str, str], instrument_id: str
) -> None:
    served = client.get(f"/api/v1/instruments/{instrument_id}", headers=token).get_json()
    at_its_url = client.get(_local(served["url"]), headers=token)
    assert at_its_url.status_code == 200
    assert at_its_url.get_json() == served
    Questionnaire(served)
    option = served["item"][0]["answerOption"][0]["valueCoding"]
    system = client.get(_local(option["system"]), headers=token)
    assert system.status_code == 200
    assert system.content_type == FHIR
    CodeSystem(system.get_json())
    concept = system.get_json()["concept"][0]
    assert (concept["code"], concept["display"]) == (option["code"], option["display"])


def test_the_organisation_chooses_the_canonical_base(
    app: Flask, client: FlaskClient, token: dict[str, str]
) -> None:
    app.config["FHIR_BASE"] = "https://rom.ggz-voorbeeld.nl/fhir/"
    try:
        served = client.get("/api/v1/instruments/gcq_s", headers=token).get_json()
    finally:
        app.config["FHIR_BASE"] = ""
    assert served["url"] == "https://rom.ggz-voorbeeld.nl/fhir/Questionnaire/gcq-s"
    assert served["id"] == "gcq-s"


@pytest.mark.parametrize("instrument_id", ["phq9", "gad7"])
def test_an_instrument_with_loinc_codes_resolves_and_publishes_no_own_options(
    client: FlaskClient, token: dict[str, str], instrument_id: str
) -> None:
    served = client.get(f"/api/v1/instruments/{instrument_id}", headers=token).get_json()
    assert client.get(_local(served["url"]), headers=token).get_json() == served
    assert served["code"][0]["system"] == "http://loinc.org"
    own = client.get(f"/api/v1/fhir/CodeSystem/{served['id']}-options", headers=token)
    assert own.status_code == 404


def test_an_unknown_resource_is_404(client: FlaskClient, token: dict[str, str]) -> None:
    assert client.get("/api/v1/fhir/Questionnaire/gcq_s", headers=token).status_code == 404
    assert client.get("/api/v1/fhir/CodeSystem/gcs", headers=token).status_code == 404


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("", None, FHIR),
        ("", "application/fhir+json", FHIR),
        ("", "*/*", FHIR),
        ("", "application/json", "application/json"),
        ("", "application/fhir+xml, application/json;q=0.5", "application/json"),
        ("?_format=json", "application/json", FHIR),
        ("?_format=application/fhir%2Bjson", None, FHIR),
        ("?_format=application/json", None, "application/json"),
    ],
)
def test_the_media_type_follows_format_then_accept(
    client: FlaskClient, token: dict[str, str], query: str, accept: str | None, expected: str
) -> None:
    headers = token | ({"Accept": accept} if accept else {})
    served = client.get(f"/api/v1/fhir/Questionnaire/phq9{query}", headers=headers)
    assert served.status_code == 200
    assert served.content_type == expected


@pytest.mark.parametrize(
    ("query", "accept"), [("?_format=xml", None), ("", "application/fhir+xml")]
)
def test_xml_is_refused_with_406(
    client: FlaskClient, token: dict[str, str], query: str, accept: str | None
) -> None:
    headers = token | ({"Accept": accept} if accept else {})
    refused = client.get(f"/api/v1/fhir/Questionnaire/phq9{query}", headers=headers)
    assert refused.status_code == 406
    assert refused.content_type == "application/problem+json"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_members_answers_are_coded_as_the_questionnaire_codes_them(
    app: Flask, client: FlaskClient, token: dict[str, str], language: str
) -> None:
    group = make_group()
    member = make_member(group, "MX1", language=language)
    session = make_session(group, 1)
    response = Response(
        membership_id=member.id,
        session_id=session.id,
        instrument_id="phq9",
        instrument_version="1.0",
        completed_at=datetime(2026, 3, 2, 19, 0),
        source=ResponseSource.IMPORT,  # a response with a gap comes only from an import
    )
    response.answers = [Answer(item=n, value=n % 4) for n in range(1, 9)]  # item 9 left open
    db.session.add(response)
    db.session.commit()
    served = client.get("/api/v1/members/MX1/responses", headers=token)
    assert served.content_type == FHIR
    answered, total = (e["resource"] for e in served.get_json()["entry"])
    assert total["code"]["coding"] == [{"system": "http://loinc.org", "code": "44261-6"}]
    asked = client.get(_local(answered["questionnaire"].split("|")[0]), headers=token).get_json()
    options = {
        item["linkId"]: [o["valueCoding"] for o in item["answerOption"]] for item in asked["item"]
    }
    assert [i["linkId"] for i in answered["item"]] == [str(n) for n in range(1, 9)]
    for item in answered["item"]:
        assert item["answer"][0]["valueCoding"] in options[item["linkId"]]
    assert answered["status"] == "completed"

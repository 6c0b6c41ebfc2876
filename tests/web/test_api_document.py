"""The API's OpenAPI document is valid OpenAPI 3.1 as an independent validator reads it, and the
API answers as HTTP says (405 names what is allowed)."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from openapi_spec_validator import validate


def test_the_document_is_valid_openapi_3_1(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises with the first violation
    text = json.dumps(document)
    assert "x-minimum" not in text
    assert "x-maximum" not in text


def test_every_documented_error_response_is_defined(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    defined = set(document["components"]["responses"])
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                assert isinstance(response, dict), (path, method, status)
                ref = response.get("$ref", "#/components/responses/")
                assert ref.rsplit("/", 1)[-1] in defined | {""}, (path, method, status)


def test_a_method_not_allowed_names_the_allowed_ones(client: FlaskClient) -> None:
    refused = client.delete("/api/v1/groups")
    assert refused.status_code == 405
    assert set(refused.headers["Allow"].split(", ")) >= {"GET"}
    assert refused.content_type == "application/problem+json"

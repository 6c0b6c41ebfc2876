"""The JSON API under /api/v1 (flask-smorest, marshmallow): integrations authenticate with a
scoped API token, staff may read with their session; errors are RFC 9457 problem details; every
accepted call is audited and rate limited; writes honour an Idempotency-Key."""

from __future__ import annotations

import hashlib
import http

from flask import Flask, current_app, request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from rom.errors import PROBLEM


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.Str()
    title = fields.Str()
    status = fields.Int()
    detail = fields.Str()
    errors = fields.Dict()


ERRORS = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 429: "TOO_MANY_REQUESTS"}


class KringApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        """Every error response documented as application/problem+json."""
        for status in http.HTTPStatus:
            response: dict = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def document_errors(self) -> None:
        """Each operation may answer 401, 403, 404 and 429 (and 422 where it takes input)."""
        for operations in self.spec._paths.values():
            for method, operation in operations.items():
                if method in {"get", "post", "put", "patch", "delete"}:
                    responses = operation.setdefault("responses", {})
                    names = dict(ERRORS)
                    if method != "get":
                        names |= {409: "CONFLICT", 422: "UNPROCESSABLE_ENTITY"}
                    for code, name in names.items():
                        responses.setdefault(
                            str(code), self.spec.components.get_ref("response", name)
                        )


def init_app(app: Flask) -> None:
    from rom.api import fhir, individual_volumes, members, reference, resources
    from rom.extensions import csrf, limiter
    from rom.schemas.api import NEW_MEMBERSHIP_RULES

    app.config.update(
        API_TITLE="Kring API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}],
        },
    )
    api = KringApi(app)
    app.extensions["kring.api"] = api
    for blueprint in (resources.blp, members.blp, individual_volumes.blp, fhir.blp):
        csrf.exempt(blueprint)
        limiter.limit(_rate, key_func=_caller)(blueprint)
        api.register_blueprint(blueprint)
    api.document_errors()
    api.spec.components.schemas["NewMembership"].update(NEW_MEMBERSHIP_RULES)
    app.register_blueprint(reference.bp)


def _rate() -> str:
    return current_app.config["API_RATE_LIMIT"]


def _caller() -> str:
    """Per token (or per address without one): one integration cannot starve another."""
    header = request.headers.get("Authorization", "")
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()
    return request.remote_addr or "unknown"

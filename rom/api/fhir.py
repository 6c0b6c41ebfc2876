"""The organisation's FHIR definitions where their canonical URLs point: each instrument's
Questionnaire and the CodeSystem of its answer options (no member data; any API caller)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from questionnaires import Instrument
from questionnaires.fhir import (
    fhir_id,
    has_own_options,
    options_code_system,
    options_id,
    questionnaire,
)
from rom.api.auth import audit, identify
from rom.api.fhir_format import fhir_response
from rom.instruments import fhir_base, library

blp = Blueprint("api_fhir", __name__, url_prefix="/api/v1/fhir", description="FHIR R4 definitions")
blp.before_request(identify)
blp.after_request(audit)


def _instrument_by(resource_id: str, id_of: Callable[[str], str]) -> Instrument:
    found = next((i for i in library() if id_of(i.id) == resource_id), None)
    if found is None:
        abort(404, message="No such resource.")
    return found


@blp.route("/Questionnaire/<questionnaire_id>")
class Questionnaires(MethodView):
    @blp.response(200, content_type="application/fhir+json")
    def get(self, questionnaire_id: str) -> Response:
        """An instrument as a FHIR R4 Questionnaire, at its canonical URL (`gcq-s`)."""
        instrument = _instrument_by(questionnaire_id, fhir_id)
        return fhir_response(questionnaire(instrument, fhir_base()))


@blp.route("/CodeSystem/<code_system_id>")
class CodeSystems(MethodView):
    @blp.response(200, content_type="application/fhir+json")
    def get(self, code_system_id: str) -> Response:
        """The answer options of an instrument as a FHIR R4 CodeSystem (`gcs-options`); not for
        an instrument whose answers are coded in a standard (LOINC for the PHQ-9)."""
        instrument = _instrument_by(code_system_id, options_id)
        if not has_own_options(instrument):
            abort(404, message="This instrument's answers are coded in a standard code system.")
        return fhir_response(options_code_system(instrument, fhir_base()))

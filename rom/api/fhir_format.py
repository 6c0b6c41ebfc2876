"""FHIR's media type, negotiated as FHIR clients ask for it: `_format` first, then `Accept`.

JSON only: `application/fhir+json` (FHIR R4, fhirVersion 4.0) unless the client asks for plain
`application/json`; a client that can only take XML gets 406."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask import Response, request
from flask_smorest import abort

FHIR_JSON = "application/fhir+json"
FHIR_R4_JSON = f"{FHIR_JSON}; fhirVersion=4.0"
JSON = "application/json"
FORMATS = {"json": FHIR_JSON, FHIR_JSON: FHIR_JSON, JSON: JSON}  # what _format may say


def fhir_media_type() -> str:
    """The media type to answer in; 406 when the client takes neither FHIR JSON nor JSON."""
    asked = request.args.get("_format")
    if asked is not None:
        chosen = FORMATS.get(asked.split(";")[0].strip().lower())
        if chosen is None:
            abort(406, message="Kring serves FHIR as JSON only (_format=json).")
        return _versioned(chosen)
    if not request.accept_mimetypes:
        return FHIR_R4_JSON
    chosen = request.accept_mimetypes.best_match([FHIR_JSON, JSON])
    if chosen is None:
        abort(406, message="Kring serves FHIR as application/fhir+json (or application/json).")
    return _versioned(chosen)


def _versioned(media_type: str) -> str:
    return FHIR_R4_JSON if media_type == FHIR_JSON else media_type


def fhir_response(resource: dict) -> Response:
    return Response(json.dumps(resource, ensure_ascii=False), content_type=fhir_media_type())


def fhir_stream(chunks: Iterable[str], media_type: str) -> Response:
    """A streamed resource; the media type is chosen before the stream starts."""
    return Response(chunks, content_type=media_type)

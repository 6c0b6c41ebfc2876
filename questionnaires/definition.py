"""Instrument to definition mapping: the inverse of loading, so an instrument can travel."""

from __future__ import annotations

from typing import Any

from questionnaires.model import Instrument, Scale, StandardCodes


def to_definition(instrument: Instrument) -> dict[str, Any]:
    """The mapping that load_definition turns back into an equal instrument."""
    return {
        "id": instrument.id,
        "version": instrument.version,
        "languages": list(instrument.languages),
        "title": dict(instrument.title),
        "instructions": dict(instrument.instructions),
        "items": [
            {
                "number": item.number,
                "text": dict(item.text),
                "options": [{"value": o.value, "label": dict(o.label)} for o in item.options],
            }
            for item in instrument.items
        ],
        "scales": [_scale(scale) for scale in instrument.scales],
        "critical_items": [
            {"item": c.item, "values": sorted(c.values), "reason": dict(c.reason)}
            for c in instrument.critical_items
        ],
        "licence": {"name": instrument.licence, "free_to_use": instrument.free_to_use},
        "citation": instrument.citation,
        "validated": instrument.validated,
        "intake_only": instrument.intake_only,
        "about_the_session": instrument.about_the_session,
        "standard_codes": _standard_codes(instrument.standard_codes),
    }


def _standard_codes(codes: StandardCodes | None) -> dict[str, Any] | None:
    if codes is None:
        return None
    return {
        "system": codes.system,
        "source": codes.source,
        "instrument": codes.instrument,
        "items": dict(codes.items),
        "options": dict(codes.options),
        "item_options": {item: dict(values) for item, values in codes.item_options.items()},
        "scales": dict(codes.scales),
    }


def _scale(scale: Scale) -> dict[str, Any]:
    norms = scale.norms
    return {
        "id": scale.id,
        "title": dict(scale.title),
        "items": list(scale.items),
        "method": scale.method,
        "direction": scale.direction,
        "reversed": sorted(scale.reversed),
        "max_missing": scale.max_missing,
        "prorate": scale.prorate,
        "total": scale.total,
        "bands": [
            {"id": b.id, "low": b.low, "high": b.high, "label": dict(b.label)} for b in scale.bands
        ],
        "norms": None
        if norms is None
        else {
            "cutoff": norms.cutoff,
            "reliable_change": norms.reliable_change,
            "sd": norms.sd,
            "reliability": norms.reliability,
            "source": norms.source,
        },
    }


def scoring_part(definition: dict[str, Any]) -> dict[str, Any]:
    """What a FHIR Questionnaire cannot say itself: scales, critical items, licence, languages."""
    keys = (
        "id",
        "version",
        "languages",
        "title",
        "instructions",
        "scales",
        "critical_items",
        "licence",
        "citation",
        "validated",
        "intake_only",
        "about_the_session",
        "standard_codes",
    )
    return {key: definition[key] for key in keys}

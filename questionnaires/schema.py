"""The marshmallow schema of an instrument file; every error names the field at fault."""

from __future__ import annotations

import math
from typing import Any

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from questionnaires.model import JT_Z

LANGUAGE = validate.OneOf(["nl", "en"])
CONSISTENCY_TOLERANCE = 0.75  # points: a stated threshold may be the JT figure rounded up or down


class TextField(fields.Dict):
    """A text per language: {nl: ..., en: ...}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(keys=fields.String(validate=LANGUAGE), values=fields.String(), **kwargs)


class OptionSchema(Schema):
    value = fields.Integer(required=True, strict=True)
    label = TextField(required=True)


class ItemSchema(Schema):
    number = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    text = TextField(required=True)
    options = fields.List(fields.Nested(OptionSchema), load_default=None)


class BandSchema(Schema):
    id = fields.String(required=True)
    low = fields.Float(required=True)
    high = fields.Float(required=True)
    label = TextField(required=True)


class NormsSchema(Schema):
    cutoff = fields.Float(load_default=None)
    reliable_change = fields.Float(
        required=True, validate=validate.Range(min=0, min_inclusive=False)
    )
    sd = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False))
    reliability = fields.Float(
        required=True, validate=validate.Range(min=0, max=1, max_inclusive=False)
    )
    source = fields.String(required=True, validate=validate.Length(min=10))

    @validates_schema
    def threshold_matches_sd_and_reliability(self, data: dict[str, Any], **_: Any) -> None:
        implied = JT_Z * math.sqrt(2) * data["sd"] * math.sqrt(1 - data["reliability"])
        if abs(implied - data["reliable_change"]) > CONSISTENCY_TOLERANCE:
            raise ValidationError(
                f"reliable_change {data['reliable_change']} does not follow from sd "
                f"{data['sd']} and reliability {data['reliability']} (Jacobson-Truax gives "
                f"{implied:.2f})",
                "reliable_change",
            )


class ScaleSchema(Schema):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    title = TextField(required=True)
    items = fields.List(fields.Integer(strict=True), required=True, validate=validate.Length(min=1))
    method = fields.String(required=True, validate=validate.OneOf(["sum", "mean"]))
    direction = fields.String(
        required=True, validate=validate.OneOf(["higher_is_worse", "higher_is_better"])
    )
    reversed = fields.List(fields.Integer(strict=True), load_default=list)
    max_missing = fields.Integer(load_default=0, validate=validate.Range(min=0))
    prorate = fields.Boolean(load_default=True)
    total = fields.Boolean(load_default=False)
    bands = fields.List(fields.Nested(BandSchema), load_default=list)
    norms = fields.Nested(NormsSchema, load_default=None)


class CriticalItemSchema(Schema):
    item = fields.Integer(required=True, strict=True)
    values = fields.List(
        fields.Integer(strict=True), required=True, validate=validate.Length(min=1)
    )
    reason = TextField(required=True)


class TestVectorSchema(Schema):
    class Meta:
        unknown = RAISE

    answers = fields.Dict(
        keys=fields.Integer(), values=fields.Integer(allow_none=True), required=True
    )
    expect = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class LicenceSchema(Schema):
    name = fields.String(required=True)
    free_to_use = fields.Boolean(required=True)


class StandardCodesSchema(Schema):
    """Codes of a standard terminology (LOINC) for the instrument, its items, options and
    scales, with where they were checked."""

    class Meta:
        unknown = RAISE

    system = fields.Url(required=True, schemes={"http", "https"})
    source = fields.String(required=True)
    instrument = fields.String(load_default=None)
    items = fields.Dict(keys=fields.Integer(), values=fields.String(), load_default=dict)
    options = fields.Dict(keys=fields.Integer(), values=fields.String(), load_default=dict)
    item_options = fields.Dict(  # an item whose answers the standard codes otherwise
        keys=fields.Integer(),
        values=fields.Dict(keys=fields.Integer(), values=fields.String()),
        load_default=dict,
    )
    scales = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


class InstrumentSchema(Schema):
    """The whole file. Cross-field rules live in checks.py so each can name its field."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    version = fields.String(required=True)
    languages = fields.List(
        fields.String(validate=LANGUAGE), required=True, validate=validate.Length(min=1)
    )
    title = TextField(required=True)
    instructions = TextField(required=True)
    options = fields.List(fields.Nested(OptionSchema), load_default=None)
    items = fields.List(fields.Nested(ItemSchema), required=True, validate=validate.Length(min=1))
    scales = fields.List(fields.Nested(ScaleSchema), required=True, validate=validate.Length(min=1))
    critical_items = fields.List(fields.Nested(CriticalItemSchema), load_default=list)
    licence = fields.Nested(LicenceSchema, required=True)
    citation = fields.String(required=True)
    validated = fields.Boolean(load_default=True)
    intake_only = fields.Boolean(load_default=False)  # asked at referral, never at a session
    about_the_session = fields.Boolean(load_default=False)  # asked after the session it is about
    standard_codes = fields.Nested(StandardCodesSchema, load_default=None)
    notes = fields.String(load_default="")
    test_vectors = fields.List(fields.Nested(TestVectorSchema), load_default=list)


__all__ = ["INCLUDE", "InstrumentSchema", "ValidationError"]

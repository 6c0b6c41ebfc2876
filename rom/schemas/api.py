"""API payloads (marshmallow): what integrations send and get back."""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from rom.models.clients import CODE_PATTERN, CODE_TEXT
from rom.models.treatment_volumes import MAX_SESSIONS

STATUSES = ("present", "absent", "excused")


class GroupSchema(Schema):
    id = fields.Int(dump_only=True)
    code = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    format = fields.Str()
    planned_sessions = fields.Int()


class PageArgs(Schema):
    after = fields.Int(
        load_default=0,
        validate=validate.Range(0, 2**31 - 1),
        metadata={"description": "cursor: the last id seen"},
    )
    limit = fields.Int(load_default=100, validate=validate.Range(1, 500))


class GroupPage(Schema):
    items = fields.List(fields.Nested(GroupSchema))
    next = fields.Int(allow_none=True, metadata={"description": "cursor for the next page"})


class SessionSchema(Schema):
    id = fields.Int(dump_only=True)
    number = fields.Int(dump_only=True)
    start = fields.DateTime(dump_only=True, metadata={"description": "UTC"})
    status = fields.Str(dump_only=True)


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _within_years(day: date) -> None:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError("The date lies outside 2000-2100.")


class NewSession(Schema):
    date = fields.Date(
        required=True,
        validate=_within_years,
        metadata={
            "description": "local date, 2000-2100",
            "pattern": r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$",  # JSON Schema has no date range
        },
    )
    time = fields.Time(
        required=True, metadata={"description": "local wall-clock time", "format": "time"}
    )


def member_code() -> fields.Str:
    """A member's code, by the one pattern Kring has for them."""
    return fields.Str(
        required=True,
        validate=validate.Regexp(CODE_TEXT),
        metadata={"description": "the member's pseudonymous code", "pattern": CODE_PATTERN},
    )


class AttendanceRow(Schema):
    member = member_code()
    status = fields.Str(required=True, validate=validate.OneOf(STATUSES))


class AttendancePayload(Schema):
    attendance = fields.List(fields.Nested(AttendanceRow), required=True)


class AttendanceResult(Schema):
    session = fields.Int()
    recorded = fields.Int()
    status = fields.Str()


class FlagSchema(Schema):
    id = fields.Int()
    group = fields.Str()
    member = fields.Str(allow_none=True)
    kind = fields.Str()
    severity = fields.Str()
    raised_session = fields.Int()
    last_session = fields.Int()
    reasons = fields.List(fields.Dict())
    suggested_action = fields.Str()
    acknowledged = fields.Bool()


class FlagPage(Schema):
    items = fields.List(fields.Nested(FlagSchema))
    next = fields.Int(allow_none=True, metadata={"description": "cursor for the next page"})


class ScoreRow(Schema):
    group = fields.Str()
    session = fields.Int()
    instrument = fields.Str()
    scale = fields.Str()
    value = fields.Float(allow_none=True)


class MemberScores(Schema):
    member = fields.Str()
    scores = fields.List(fields.Nested(ScoreRow))
    change = fields.Dict(metadata={"description": "PHQ-9: first, last, RCI, Jacobson-Truax class"})


class NewMembership(Schema):
    code = member_code()
    known_client = fields.Bool(
        load_default=False,
        metadata={
            "description": "true: enrol a client who was a member of one of the caller's groups "
            "(their stored contact details are kept); false: a new client under an unused code"
        },
    )
    first_name = fields.Str(load_default="", validate=validate.Length(max=80))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=32))
    language = fields.Str(load_default="nl", validate=validate.OneOf(("nl", "en")))

    @validates_schema
    def _a_new_client_needs_a_name_and_an_address(self, data: dict, **_: object) -> None:
        if data.get("known_client"):
            return
        if not (data.get("first_name") or "").strip():
            raise ValidationError("A new client needs a first name.", "first_name")
        if not (data.get("email") or (data.get("phone") or "").strip()):
            raise ValidationError("A new client needs an e-mail address or a phone.", "email")


NEW_MEMBERSHIP_RULES = {  # the rule above, for the document (marshmallow cannot say it there)
    "anyOf": [
        {"properties": {"known_client": {"const": True}}, "required": ["known_client"]},
        {
            "properties": {
                "first_name": {"pattern": r"\S"},
                "email": {"type": "string", "format": "email"},
            },
            "required": ["first_name", "email"],
        },
        {
            "properties": {
                "first_name": {"pattern": r"\S"},
                "phone": {"type": "string", "pattern": r"\S"},
            },
            "required": ["first_name", "phone"],
        },
    ]
}


class EndMembership(Schema):
    reason = fields.Str(
        required=True,
        validate=validate.OneOf(
            ("completed", "dropped_out", "stepped_up", "stepped_down", "moved")
        ),
    )
    last_session = fields.Int(required=True, validate=validate.Range(1, 500))


class MembershipSchema(Schema):
    member = fields.Str()
    group = fields.Int()
    joined_session = fields.Int()
    left_session = fields.Int(allow_none=True)
    leave_reason = fields.Str(allow_none=True)


class IndividualVolumeSchema(Schema):
    year = fields.Int(dump_only=True)
    sessions = fields.Int(
        dump_only=True, metadata={"description": "individual treatment contacts in the year"}
    )
    recorded_at = fields.DateTime(dump_only=True, metadata={"description": "UTC"})
    source = fields.Str(dump_only=True, metadata={"enum": ["form", "csv", "api"]})


class WholeNumber(fields.Int):
    """An integer as JSON Schema counts one: 5 and 5.0, never 5.5, "5" or true (marshmallow's
    lenient Int would cut 5.5 to 5 and read "5"; its strict one refuses 5.0)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: object) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


class IndividualVolumePayload(Schema):
    sessions = WholeNumber(
        required=True,
        validate=validate.Range(0, MAX_SESSIONS),
        metadata={
            "description": "the organisation's individual treatment contacts (sessions) in the "
            "calendar year: the unit of Kring's group volume (attended member-sessions)"
        },
    )

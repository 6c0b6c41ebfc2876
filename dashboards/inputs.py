"""A callback's inputs come from the browser and can be anything JSON allows: each is checked
for its type and range, and anything else is a bad request (400) before any work is done."""

from __future__ import annotations

from flask import abort

LARGEST_ID = 2**31 - 1


def record_id(value: object) -> int:
    """A database id: a whole number (or its digits) from 1 to 2**31 - 1."""
    if isinstance(value, bool):
        abort(400)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= LARGEST_ID:
        abort(400)
    return value


def optional_text(value: object, longest: int = 200) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > longest:
        abort(400)
    return value


def year(value: object, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        abort(400)
    text = str(value)
    if not (text.isascii() and text.isdigit() and 1900 <= int(text) <= 2200):
        abort(400)
    return int(text)


def one_of(value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        abort(400)
    return str(value)

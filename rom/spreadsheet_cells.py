"""CSV cells a spreadsheet cannot run (OWASP, CSV injection): a cell that starts with = + - @, a
tab or a carriage return is written with a leading apostrophe, which spreadsheets show as text.
A cell that already starts with an apostrophe gets one more, so reading drops exactly one and
every cell Kring writes reads back as it was."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralised(value: object) -> object:
    """The cell as written: text that a spreadsheet would run gets an apostrophe in front."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restored(value: str) -> str:
    """The cell as it was before `neutralised`."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value

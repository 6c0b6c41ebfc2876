"""Numbers as each language writes them: 3,5 and 1.250 in Dutch, 3.5 and 1,250 in English
(pure: analytics, reports, dashboards and the staff pages share it)."""

from __future__ import annotations

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol


def decimal(value: float, digits: int = 1, language: str = "nl", signed: bool = False) -> str:
    """The value with `digits` decimals in the language's separators; '+' before a positive
    value when `signed`."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, format=pattern, locale=language)


def decimal_or_dash(
    value: float | None, digits: int = 1, language: str = "nl", signed: bool = False
) -> str:
    """As decimal, with a dash where there is no value (None or NaN)."""
    if value is None or value != value:
        return "–"
    return decimal(value, digits, language, signed)


def separators(language: str) -> str:
    """The language's decimal and thousands marks, as plotly's layout takes them (",." in Dutch)."""
    return get_decimal_symbol(language) + get_group_symbol(language)

"""The staff application's language: the user's own (remembered on their account), before login
a cookie or the browser's preference; Dutch when nothing says otherwise."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import LazyString, force_locale, get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from rom.extensions import babel
from rom.numbers import decimal_or_dash

LANGUAGES = ("nl", "en")
COOKIE = "kring_lang"


def select_locale() -> str:
    """The reader's language; Dutch outside a request (jobs and commands choose their language
    with flask_babel.force_locale)."""
    if not has_request_context():
        return "nl"
    if getattr(current_user, "is_authenticated", False):
        return current_user.language if current_user.language in LANGUAGES else "nl"
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def remember_language(response: Response, chosen: str) -> None:
    """Keep the language picked in this browser for a year (read before login and on the
    member's pages)."""
    response.set_cookie(
        COOKIE, chosen, max_age=365 * 86400, samesite="Lax", secure=request.is_secure
    )


def reader_language() -> str:
    """The language Babel chose for this request (or forced), as "nl" or "en"."""
    return str(get_locale() or "nl")


def in_reader_language(versions: Mapping[str, str]) -> LazyString:
    """A text given in each language ({"nl": ..., "en": ...}), chosen when it is shown."""
    return LazyString(lambda: versions.get(reader_language(), versions["nl"]))


def joined(texts: Sequence[object], separator: str = " ") -> LazyString:
    """Texts (lazy ones too) put together when shown, each in the reader's language."""
    return LazyString(lambda: separator.join(str(text) for text in texts))


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """In the given language; in the reader's own when none is given."""
    if language is None:
        yield
        return
    with force_locale(language):
        yield


@dataclass(frozen=True)
class Wording:
    """A catalogue text with named numbers and, for each number, the decimals it is written with."""

    text: LazyString
    decimals: Mapping[str, int] = field(default_factory=dict)


def worded(wording: Wording, numbers: Mapping[str, Any], language: str | None = None) -> str:
    """The text in the language (the reader's when none is given), its numbers written as the
    language writes them (3,5 in Dutch) and a dash for a missing one."""
    with in_language(language):
        here = reader_language()
        values = {
            name: decimal_or_dash(_number(numbers.get(name)), digits, here)
            for name, digits in wording.decimals.items()
        }
        return str(wording.text) % values if values else str(wording.text)


def _number(value: Any) -> float | None:
    """A stored number (4.0 or 4 alike); None, shown as a dash, for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_locale="nl")
    app.context_processor(lambda: {"get_locale": get_locale})
    app.add_template_filter(decimal_here, "decimal")


def decimal_here(value: float | None, digits: int = 1) -> str:
    """A number in the reader's language (3,5 in Dutch); a dash for none."""
    return decimal_or_dash(value, digits, str(get_locale()))

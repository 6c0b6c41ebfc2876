"""Passwords as NIST SP 800-63B asks: at least 12 characters (at most 128), no composition rules,
and refused when they are known from breaches (the 30,000 most common leaked passwords that
zxcvbn ships, also with digits or symbols tacked on), guessable from the account (its e-mail
or name, the organisation) or otherwise easy to guess (zxcvbn's estimate below 10^8 guesses)."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from rom.refusals import Refusal

MINIMUM_LENGTH = 12
MAXIMUM_LENGTH = 128
STRONG_ENOUGH = 3  # zxcvbn's score: 3 means at least 10^8 guesses
TACKED_ON = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class PasswordRefusedError(Refusal):
    """The password may not be used; the message says why (translated when shown)."""


@cache
def _breached() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password(password: str, *, email: str, name: str, organisation: str) -> None:
    """Raise PasswordRefusedError when the password may not be used."""
    if len(password) < MINIMUM_LENGTH:
        raise PasswordRefusedError(
            _l(
                "Kies een wachtwoord van ten minste 12 tekens; een zin van een paar woorden "
                "werkt goed."
            )
        )
    if len(password) > MAXIMUM_LENGTH:
        raise PasswordRefusedError(_l("Een wachtwoord is hoogstens 128 tekens."))
    lowered = password.lower()
    if lowered in _breached() or TACKED_ON.sub("", lowered) in _breached():
        raise PasswordRefusedError(
            _l("Dit wachtwoord komt voor in lijsten van gelekte wachtwoorden; kies een ander.")
        )
    personal = [email.lower(), email.split("@")[0].lower(), name.lower(), organisation.lower()]
    if any(len(word) >= 4 and word in lowered for word in personal) or (
        zxcvbn(password[:MAXIMUM_LENGTH], user_inputs=personal)["score"] < STRONG_ENOUGH
    ):
        raise PasswordRefusedError(
            _l(
                "Dit wachtwoord is te makkelijk te raden (bijvoorbeeld uit uw naam of "
                "e-mailadres); kies een langere zin van gewone woorden."
            )
        )

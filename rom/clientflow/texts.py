"""The words of the member's pages that the views choose (the rest are in the templates;
instrument texts live in YAML). Dutch msgids, English in the catalogue. NOTICES are the pages
shown instead of the questionnaire when a link cannot be (or can no longer be) answered."""

from __future__ import annotations

from typing import NamedTuple

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class Notice(NamedTuple):
    title: LazyString
    text: LazyString


PROBLEMS = {  # a form that could not be taken; nothing was saved
    "bad": Notice(
        _l("Er ging iets mis"),
        _l(
            "Deze antwoorden konden we niet verwerken; er is niets opgeslagen. Ga terug en "
            "probeer het opnieuw."
        ),
    ),
    "stale": Notice(
        _l("Deze pagina kon niet worden verstuurd"),
        _l(
            "Het formulier miste een controlecode, dus er is niets opgeslagen. Open de "
            "vragenlijst opnieuw en ga verder waar u was."
        ),
    ),
}

NOTICES = {  # reason: (HTTP status, what the page says)
    "unknown": (
        404,
        Notice(
            _l("Deze link werkt niet"),
            _l(
                "Controleer of u de hele link uit het bericht heeft geopend. Lukt het niet, "
                "vraag dan uw behandelaar om een nieuwe."
            ),
        ),
    ),
    "expired": (
        410,
        Notice(
            _l("Deze vragenlijst is verlopen"),
            _l(
                "De tijd om deze vragenlijst in te vullen is voorbij. U krijgt een nieuwe link "
                "voor de volgende bijeenkomst."
            ),
        ),
    ),
    "submitted": (
        410,
        Notice(_l("Al verstuurd"), _l("Deze vragenlijst is al ingevuld en verstuurd. Dank u wel!")),
    ),
    "not_there": (
        410,
        Notice(
            _l("Geen vragen over deze bijeenkomst"),
            _l(
                "Volgens onze gegevens was u niet bij deze bijeenkomst, dus er is niets in te "
                "vullen. Klopt dat niet? Laat het uw behandelaar weten."
            ),
        ),
    ),
    "busy": (
        429,
        Notice(
            _l("Even geduld"),
            _l(
                "Deze pagina is in korte tijd heel vaak geopend. Probeer het over een minuut "
                "opnieuw; wat al was opgeslagen blijft bewaard."
            ),
        ),
    ),
}

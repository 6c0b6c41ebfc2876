"""The words for a briefing's talking points, in the reader's language through the Babel
catalogues; analytics gives each point as a code with its numbers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from rom.analytics.talking_points import Point
from rom.i18n import Wording, worded

CHANGE = {"before": 1, "now": 1}
POINTS: dict[str, Wording] = {
    "welcome": Wording(
        _l("Nieuwe leden verwelkomen (%(count)s); de groepsafspraken kort herhalen."),
        {"count": 0},
    ),
    "farewell": Wording(
        _l("Afscheid voorbereiden met wie voor het laatst komt (%(count)s)."), {"count": 0}
    ),
    "final_session": Wording(
        _l("Laatste sessie van de groep: terugblikken, afsluiten en vervolg bespreken.")
    ),
    "conflict_rising": Wording(
        _l(
            "De spanning in de groep nam toe (%(before)s → %(now)s): benoem het en vraag wat de "
            "groep nodig heeft."
        ),
        CHANGE,
    ),
    "cohesion_falling": Wording(
        _l(
            "De verbondenheid daalde (%(before)s → %(now)s): vraag hoe de leden de groep nu "
            "ervaren."
        ),
        CHANGE,
    ),
    "engagement_falling": Wording(
        _l("De betrokkenheid daalde (%(before)s → %(now)s): wat maakt meedoen lastig?"), CHANGE
    ),
    "absences": Wording(
        _l("%(count)s leden waren de vorige keer afwezig: aanwezigheid en afmelden bespreken."),
        {"count": 0},
    ),
    "low_response": Wording(
        _l(
            "Maar %(answered)s van %(invited)s vulden de vragenlijst in: leg uit waarom die ertoe "
            "doet en wat ermee gebeurt."
        ),
        {"answered": 0, "invited": 0},
    ),
    "topics": Wording(
        _l("Onderwerpen die leden willen inbrengen: %(count)s (zie hieronder)."), {"count": 0}
    ),
    "nothing_special": Wording(
        _l("Geen bijzonderheden in de metingen: vraag de groep wat zij willen inbrengen.")
    ),
}


def point_text(point: Point, language: str) -> str:
    """The point in plain words, its numbers written as the language writes them (3,5)."""
    return worded(POINTS[point.code], point.values, language)

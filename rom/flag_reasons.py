"""The words for flags: their kinds, reasons, suggested actions, what was done and their state, in
the reader's language through the Babel catalogues. Analytics gives each reason as a code with its
numbers and stored flags keep exactly that, so every flag, old or new, is worded in the language it
is read in. An unknown code is shown as it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from rom.i18n import Wording, in_language, worded

REASONS: dict[str, Wording] = {
    "critical_answer": Wording(
        _l("Gaf aan gedachten te hebben over dood of zichzelf iets aandoen")
    ),
    "critical_answer_unsent": Wording(
        _l(
            "Gaf aan gedachten te hebben over dood of zichzelf iets aandoen, op een pagina die "
            "bewaard is maar (nog) niet verstuurd"
        )
    ),
    "reliable_worsening": Wording(
        _l(
            "Klachten betrouwbaar verslechterd: %(now)s nu en %(before)s de keer ervoor, tegen "
            "%(intake)s bij de start (grens %(threshold)s punten)"
        ),
        {"now": 0, "before": 0, "intake": 0, "threshold": 0},
    ),
    "below_expected_course": Wording(
        _l(
            "Score nu %(now)s, bij de start %(intake)s; wie zo begon, scoorde na %(session)s "
            "sessies meestal %(expected)s (gemiddeld %(shortfall)s punten achter op de verwachte "
            "lijn)"
        ),
        {"now": 0, "intake": 0, "session": 0, "expected": 0, "shortfall": 1},
    ),
    "recovered_twice": Wording(
        _l(
            "Twee keer op rij onder de grens (%(now)s en %(before)s, grens %(cutoff)s) en "
            "betrouwbaar verbeterd sinds de start (%(intake)s)"
        ),
        {"now": 0, "before": 0, "cutoff": 0, "intake": 0},
    ),
    "dropout_chance": Wording(
        _l("%(percent)s%% kans op uitval binnen drie sessies"), {"percent": 0}
    ),
    "dropout_absent_now": Wording(_l("Afwezig zonder bericht")),
    "dropout_excused_now": Wording(_l("Afgemeld")),
    "dropout_missed_in_a_row": Wording(_l("Meerdere sessies achter elkaar gemist")),
    "dropout_absent_recent": Wording(_l("Eerder afwezig in de laatste sessies")),
    "dropout_unanswered_now": Wording(_l("Vragenlijst niet ingevuld")),
    "dropout_unanswered_in_a_row": Wording(
        _l("Vragenlijsten meerdere keren achter elkaar niet ingevuld")
    ),
    "dropout_cohesion_drop": Wording(
        _l("Verbondenheid met de groep gedaald (%(value)s punten)"), {"value": 1}
    ),
    "dropout_cohesion_below_group": Wording(
        _l("Voelt minder verbondenheid dan de rest van de groep")
    ),
    "dropout_cohesion_low": Wording(_l("Lage verbondenheid met de groep")),
    "dropout_engagement_low": Wording(_l("Ervaart weinig betrokkenheid in de groep")),
    "dropout_engagement_drop": Wording(_l("Ervaren betrokkenheid gedaald")),
    "dropout_avoidance_rise": Wording(_l("Meer vermijding ervaren")),
    "dropout_early_worsening": Wording(
        _l("Klachten in de eerste sessies toegenomen (%(value)s punten)"), {"value": 0}
    ),
    "dropout_first_sessions": Wording(_l("In de eerste sessies (dan stoppen de meesten)")),
    "dropout_final_sessions": Wording(_l("In de laatste sessies van een gesloten groep")),
    "conflict_high_engagement_low": Wording(
        _l("Veel conflict (%(conflict)s) bij weinig betrokkenheid (%(engagement)s)"),
        {"conflict": 1, "engagement": 1},
    ),
    "cohesion_fell": Wording(
        _l("Cohesie gedaald naar %(now)s (was %(before)s)"), {"now": 1, "before": 1}
    ),
    "response_rate": Wording(
        _l("%(answered)s van %(members)s leden vulden de vragenlijst in"),
        {"answered": 0, "members": 0},
    ),
    "many_flagged": Wording(
        _l("%(flagged)s van %(members)s leden vragen aandacht"), {"flagged": 0, "members": 0}
    ),
}

ACTIONS: dict[str, LazyString] = {  # what a flag suggests doing
    "contact_today": _l("Vandaag contact opnemen; veiligheid bespreken"),
    "discuss_in_team": _l("Bespreken in het team; opschalen overwegen"),
    "step_up": _l("Voortgang bespreken met het lid; opschalen overwegen"),
    "contact": _l("Voor de volgende sessie contact opnemen"),
    "step_down": _l("Afschalen of afronden overwegen"),
    "discuss_in_group": _l("Bespreken in de groep"),
}
DONE: dict[str, LazyString] = {  # what was recorded as done (not what is suggested)
    "step_up": _l("Opgeschaald"),
    "step_down": _l("Afgeschaald"),
    "contact": _l("Contact opgenomen of gepland"),
    "discuss_in_team": _l("Besproken in het team"),
    "discussed_in_group": _l("Besproken in de groep"),
    "discussed_one_to_one": _l("Individueel besproken"),
    "no_action": _l("Geen actie"),
}
STATES: dict[str, LazyString] = {
    "open": _l("open: nog niets vastgelegd"),
    "acted_on": _l("opgevolgd"),
    "resolved": _l("afgesloten"),
}
KINDS: dict[str, LazyString] = {
    "critical_item": _l("Kritiek antwoord"),
    "deterioration": _l("Verslechtering"),
    "not_on_track": _l("Niet op koers"),
    "dropout_risk": _l("Risico op uitval"),
    "recovered": _l("Hersteld"),
    "group_climate": _l("Groepsklimaat"),
    "cohesion_falling": _l("Cohesie daalt"),
    "many_flagged": _l("Veel leden gesignaleerd"),
    "low_response": _l("Lage respons"),
}


def _word(table: Mapping[str, LazyString], code: str, language: str | None) -> str:
    with in_language(language):
        return str(table.get(code, code))


def reason_text(reason: Mapping[str, Any], language: str | None = None) -> str:
    """The reason in plain words, its numbers written as the language writes them (3,5)."""
    wording = REASONS.get(reason["code"])
    return str(reason["code"]) if wording is None else worded(wording, reason, language)


def reasons_text(reasons: list[Mapping[str, Any]] | None, language: str | None = None) -> str:
    return "; ".join(reason_text(r, language) for r in reasons or [])


def action_text(action: str, language: str | None = None) -> str:
    return _word(ACTIONS, action, language)


def done_text(action: str, language: str | None = None) -> str:
    """What a therapist recorded as done about a flag, in words."""
    return _word(DONE, action, language)


def state_text(state: str, language: str | None = None) -> str:
    return _word(STATES, state, language)


def kind_text(kind: str, language: str | None = None) -> str:
    return _word(KINDS, kind, language)

"""Plain-language texts for flag reasons and suggested actions, in Dutch and English."""

from __future__ import annotations

from typing import Any

from rom.numbers import LanguageFormatter

TEXTS: dict[str, dict[str, str]] = {
    "critical_answer": {
        "nl": "Gaf aan gedachten te hebben over dood of zichzelf iets aandoen",
        "en": "Reported thoughts of death or of self-harm",
    },
    "critical_answer_unsent": {
        "nl": "Gaf aan gedachten te hebben over dood of zichzelf iets aandoen, op een pagina die "
        "bewaard is maar (nog) niet verstuurd",
        "en": "Reported thoughts of death or of self-harm, on a page saved but not (yet) sent",
    },
    "reliable_worsening": {
        "nl": "Klachten betrouwbaar verslechterd: {now:.0f} nu en {before:.0f} de keer ervoor, "
        "tegen {intake:.0f} bij de start (grens {threshold:.0f} punten)",
        "en": "Symptoms reliably worse: {now:.0f} now and {before:.0f} before, against "
        "{intake:.0f} at the start (threshold {threshold:.0f} points)",
    },
    "below_expected_course": {
        "nl": "Score nu {now:.0f}, bij de start {intake:.0f}; wie zo begon, scoorde na "
        "{session:.0f} sessies meestal {expected:.0f} (gemiddeld {shortfall:.1f} punten achter "
        "op de verwachte lijn)",
        "en": "Score now {now:.0f}, {intake:.0f} at the start; people who started like this "
        "usually scored {expected:.0f} after {session:.0f} sessions ({shortfall:.1f} points "
        "behind the expected course on average)",
    },
    "recovered_twice": {
        "nl": "Twee keer op rij onder de grens ({now:.0f} en {before:.0f}, grens {cutoff:.0f}) "
        "en betrouwbaar verbeterd sinds de start ({intake:.0f})",
        "en": "Twice in a row below the cut-off ({now:.0f} and {before:.0f}, cut-off "
        "{cutoff:.0f}) and reliably better than at the start ({intake:.0f})",
    },
    "dropout_absent_now": {"nl": "Afwezig zonder bericht", "en": "Absent without notice"},
    "dropout_excused_now": {"nl": "Afgemeld", "en": "Excused absence"},
    "dropout_missed_in_a_row": {
        "nl": "Meerdere sessies achter elkaar gemist",
        "en": "Missed several sessions in a row",
    },
    "dropout_absent_recent": {
        "nl": "Eerder afwezig in de laatste sessies",
        "en": "Absent earlier in recent sessions",
    },
    "dropout_unanswered_now": {
        "nl": "Vragenlijst niet ingevuld",
        "en": "Did not fill in the questionnaire",
    },
    "dropout_unanswered_in_a_row": {
        "nl": "Vragenlijsten meerdere keren achter elkaar niet ingevuld",
        "en": "Questionnaires not filled in several times in a row",
    },
    "dropout_cohesion_drop": {
        "nl": "Verbondenheid met de groep gedaald ({value:.1f} punten)",
        "en": "Feels less connected to the group ({value:.1f} point drop)",
    },
    "dropout_cohesion_below_group": {
        "nl": "Voelt minder verbondenheid dan de rest van de groep",
        "en": "Feels less connected than the rest of the group",
    },
    "dropout_cohesion_low": {
        "nl": "Lage verbondenheid met de groep",
        "en": "Low connection to the group",
    },
    "dropout_engagement_low": {
        "nl": "Ervaart weinig betrokkenheid in de groep",
        "en": "Experiences little engagement in the group",
    },
    "dropout_engagement_drop": {
        "nl": "Ervaren betrokkenheid gedaald",
        "en": "Experienced engagement fell",
    },
    "dropout_avoidance_rise": {"nl": "Meer vermijding ervaren", "en": "More avoidance experienced"},
    "dropout_early_worsening": {
        "nl": "Klachten in de eerste sessies toegenomen ({value:.0f} punten)",
        "en": "Symptoms worse in the first sessions ({value:.0f} points)",
    },
    "dropout_first_sessions": {
        "nl": "In de eerste sessies (dan stoppen de meesten)",
        "en": "In the first sessions (when most dropouts happen)",
    },
    "dropout_final_sessions": {
        "nl": "In de laatste sessies van een gesloten groep",
        "en": "In the final sessions of a closed group",
    },
    "conflict_high_engagement_low": {
        "nl": "Veel conflict ({conflict:.1f}) bij weinig betrokkenheid ({engagement:.1f})",
        "en": "High conflict ({conflict:.1f}) with low engagement ({engagement:.1f})",
    },
    "cohesion_fell": {
        "nl": "Cohesie gedaald naar {now:.1f} (was {before:.1f})",
        "en": "Cohesion fell to {now:.1f} (was {before:.1f})",
    },
    "response_rate": {
        "nl": "{answered} van {members} leden vulden de vragenlijst in",
        "en": "{answered} of {members} members filled in the questionnaire",
    },
    "many_flagged": {
        "nl": "{flagged} van {members} leden vragen aandacht",
        "en": "{flagged} of {members} members need attention",
    },
}

ACTIONS: dict[str, dict[str, str]] = {
    "contact_today": {
        "nl": "Vandaag contact opnemen; veiligheid bespreken",
        "en": "Contact today; discuss safety",
    },
    "discuss_in_team": {
        "nl": "Bespreken in het team; opschalen overwegen",
        "en": "Discuss in the team; consider stepping up",
    },
    "step_up": {
        "nl": "Voortgang bespreken met het lid; opschalen overwegen",
        "en": "Discuss progress with the member; consider stepping up",
    },
    "contact": {
        "nl": "Voor de volgende sessie contact opnemen",
        "en": "Contact before the next session",
    },
    "step_down": {
        "nl": "Afschalen of afronden overwegen",
        "en": "Consider stepping down or a planned ending",
    },
    "discuss_in_group": {"nl": "Bespreken in de groep", "en": "Discuss in the group"},
}


DONE: dict[str, dict[str, str]] = {  # what was recorded as done (not what is suggested)
    "step_up": {"nl": "Opgeschaald", "en": "Stepped up"},
    "step_down": {"nl": "Afgeschaald", "en": "Stepped down"},
    "contact": {"nl": "Contact opgenomen of gepland", "en": "Contacted or contact planned"},
    "discuss_in_team": {"nl": "Besproken in het team", "en": "Discussed in the team"},
    "discussed_in_group": {"nl": "Besproken in de groep", "en": "Discussed in the group"},
    "discussed_one_to_one": {"nl": "Individueel besproken", "en": "Discussed one to one"},
    "no_action": {"nl": "Geen actie", "en": "No action"},
}
STATES: dict[str, dict[str, str]] = {
    "open": {"nl": "open: nog niets vastgelegd", "en": "open: nothing recorded yet"},
    "acted_on": {"nl": "opgevolgd", "en": "acted on"},
    "resolved": {"nl": "afgesloten", "en": "closed"},
}


def done_text(action: str, language: str = "nl") -> str:
    """What a therapist recorded as done about a flag, in words."""
    return DONE.get(action, {}).get(language, action)


def state_text(state: str, language: str = "nl") -> str:
    return STATES.get(state, {}).get(language, state)


def reason_text(reason: dict[str, Any], language: str = "nl") -> str:
    """The reason in plain words, its numbers written as the language writes them (3,5)."""
    template = TEXTS.get(reason["code"], {}).get(language, reason["code"])
    values = {k: _whole(v) for k, v in reason.items() if k != "code"}
    try:
        return LanguageFormatter(language).format(template, **values)
    except (KeyError, ValueError, TypeError):
        return template


def _whole(value: Any) -> Any:
    """A count stored as 4.0 reads as 4 (formats such as {x:.1f} still give decimals)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def reasons_text(reasons: list[dict[str, Any]], language: str = "nl") -> str:
    return "; ".join(reason_text(r, language) for r in reasons or [])


def action_text(action: str, language: str = "nl") -> str:
    return ACTIONS.get(action, {}).get(language, action)


KINDS: dict[str, dict[str, str]] = {
    "critical_item": {"nl": "Kritiek antwoord", "en": "Critical answer"},
    "deterioration": {"nl": "Verslechtering", "en": "Deterioration"},
    "not_on_track": {"nl": "Niet op koers", "en": "Not on track"},
    "dropout_risk": {"nl": "Risico op uitval", "en": "Dropout risk"},
    "recovered": {"nl": "Hersteld", "en": "Recovered"},
    "group_climate": {"nl": "Groepsklimaat", "en": "Group climate"},
    "cohesion_falling": {"nl": "Cohesie daalt", "en": "Cohesion falling"},
    "many_flagged": {"nl": "Veel leden gesignaleerd", "en": "Many members flagged"},
    "low_response": {"nl": "Lage respons", "en": "Low response"},
}


def kind_text(kind: str, language: str = "nl") -> str:
    return KINDS.get(kind, {}).get(language, kind)

"""Dashboard texts in Dutch and English; the language is the staff user's own."""

from __future__ import annotations

from flask_login import current_user

TEXTS: dict[str, dict[str, str]] = {
    "group": {"nl": "Groep", "en": "Group"},
    "total": {"nl": "Totaal", "en": "Total"},
    "to_group_dashboard": {"nl": "Groepsdashboard", "en": "Group dashboard"},
    "to_caseload": {"nl": "Mijn groepen", "en": "My groups"},
    "to_group_report": {"nl": "Groepsrapportage (PDF)", "en": "Group report (PDF)"},
    "to_reports": {"nl": "Rapportages (PDF)", "en": "Reports (PDF)"},
    "management_title": {"nl": "Groepsbehandeling", "en": "Group treatment"},
    "member": {"nl": "Lid (uitlichten)", "en": "Member (highlight)"},
    "everyone": {"nl": "Iedereen", "en": "Everyone"},
    "trajectories": {
        "nl": "Klachten per lid (PHQ-9) tegen het verwachte verloop",
        "en": "Symptoms per member (PHQ-9) against the expected course",
    },
    "session": {"nl": "Groepssessie", "en": "Group session"},
    "phq9": {"nl": "PHQ-9 (hoger = meer klachten)", "en": "PHQ-9 (higher = more symptoms)"},
    "expected": {"nl": "Verwacht verloop (25-75%)", "en": "Expected course (25-75%)"},
    "cutoff": {"nl": "Grens klinische ernst", "en": "Clinical cut-off"},
    "reliable": {
        "nl": "Betrouwbare verbetering / verslechtering",
        "en": "Reliable improvement / deterioration",
    },
    "flag": {"nl": "Signaal", "en": "Flag"},
    "overview": {
        "nl": "Overzicht: score per sessie (✓ aanwezig, ✗ afwezig, a afgemeld, · geen vragenlijst)",
        "en": "Overview: score per session (✓ present, ✗ absent, a excused, · no questionnaire)",
    },
    "climate": {
        "nl": "Groepsklimaat (GCQ-S) en cohesie, gemiddelde en spreiding (25-75%)",
        "en": "Group climate (GCQ-S) and cohesion, mean and spread (25-75%)",
    },
    "climate_score": {"nl": "Score (0-6)", "en": "Score (0-6)"},
    "engagement": {"nl": "Betrokkenheid", "en": "Engagement"},
    "avoidance": {"nl": "Vermijding", "en": "Avoidance"},
    "conflict": {"nl": "Conflict", "en": "Conflict"},
    "cohesion": {"nl": "Cohesie", "en": "Cohesion"},
    "rates": {
        "nl": "Opkomst en respons per sessie",
        "en": "Attendance and response rate per session",
    },
    "attendance": {"nl": "Opkomst", "en": "Attendance"},
    "response": {"nl": "Vragenlijst ingevuld", "en": "Questionnaire answered"},
    "percent": {"nl": "Procent van de leden", "en": "Percent of members"},
    "open_flags": {"nl": "Open signalen", "en": "Open flags"},
    "no_flags": {"nl": "Geen open signalen.", "en": "No open flags."},
    "acknowledge": {"nl": "Actie vastleggen", "en": "Record action"},
    "no_data": {"nl": "Nog geen gegevens", "en": "No data yet"},
    "choose_group": {"nl": "Kies een groep", "en": "Choose a group"},
    "caseload": {"nl": "Mijn groepen", "en": "My groups"},
    "next_session": {"nl": "Volgende sessie", "en": "Next session"},
    "members": {"nl": "Leden", "en": "Members"},
    "before_next": {
        "nl": "Vóór de volgende sessie",
        "en": "Before the next session",
    },
    "flags_by_group": {
        "nl": "Open signalen per groep, naar urgentie",
        "en": "Open flags per group, by urgency",
    },
    "count": {"nl": "Aantal", "en": "Count"},
    "severity_critical": {"nl": "Kritiek", "en": "Critical"},
    "severity_high": {"nl": "Hoog", "en": "High"},
    "severity_medium": {"nl": "Middel", "en": "Medium"},
    "severity_low": {"nl": "Laag", "en": "Low"},
    "none_planned": {"nl": "geen gepland", "en": "none planned"},
    "nothing_to_do": {"nl": "Geen signalen: niets bijzonders.", "en": "No flags: nothing special."},
    "period": {"nl": "Periode", "en": "Period"},
    "baseline": {"nl": "Basisjaar", "en": "Baseline year"},
    "by": {"nl": "Indelen naar", "en": "Break down by"},
    "kind": {"nl": "Soort groep", "en": "Kind of group"},
    "therapist": {"nl": "Behandelaar", "en": "Therapist"},
    "volume": {
        "nl": "Volume: bijgewoonde cliëntsessies, per jaar, tegen het basisjaar",
        "en": "Volume: attended client sessions per year, against the baseline year",
    },
    "volume_short": {"nl": "Volume (bijgewoond)", "en": "Volume (attended)"},
    "volume_axis": {"nl": "Cliëntsessies per jaar", "en": "Client sessions per year"},
    "rates_by": {
        "nl": "Opkomst, respons en gebruik van de terugkoppeling",
        "en": "Attendance, response and use of the feedback",
    },
    "acted": {
        "nl": "Signaal opgepakt uiterlijk op de volgende sessie",
        "en": "Flag acted on by the next session",
    },
    "acted_short": {"nl": "Opgepakt op tijd", "en": "Acted on in time"},
    "briefed": {
        "nl": "Briefing uiterlijk op de sessiedag geopend",
        "en": "Briefing opened by the day of the session",
    },
    "briefed_short": {"nl": "Briefing geopend", "en": "Briefing opened"},
    "waiting_title": {"nl": "Wachtlijst en bezetting", "en": "Waiting list and capacity"},
    "waiting_now": {
        "nl": "Wachtend aan het einde van de periode",
        "en": "Waiting at the period's end",
    },
    "any_kind": {"nl": "elke soort", "en": "any kind"},
    "placed": {
        "nl": "Geplaatst (eerste sessie in de periode)",
        "en": "Placed (first session in the period)",
    },
    "days_to_first": {
        "nl": "Dagen van verwijzing tot eerste sessie (mediaan)",
        "en": "Days from referral to first session (median)",
    },
    "fill_rate": {"nl": "Bezetting van de groepen", "en": "Groups' fill rate"},
    "not_started": {"nl": "Groepen die niet konden starten", "en": "Groups that could not start"},
    "outcomes": {
        "nl": "Uitkomsten (PHQ-9, Jacobson-Truax)",
        "en": "Outcomes (PHQ-9, Jacobson-Truax)",
    },
    "clients": {"nl": "Cliënten", "en": "Clients"},
    "recovered": {"nl": "Hersteld", "en": "Recovered"},
    "improved": {"nl": "Verbeterd", "en": "Improved"},
    "unchanged": {"nl": "Onveranderd", "en": "Unchanged"},
    "deteriorated": {"nl": "Verslechterd", "en": "Deteriorated"},
    "dropout_ack": {
        "nl": "Uitval en tijd tot actie op signalen",
        "en": "Dropout and time to action on flags",
    },
    "dropouts": {"nl": "Uitgevallen", "en": "Dropped out"},
    "days_to_ack": {"nl": "Dagen tot actie (mediaan)", "en": "Days to action (median)"},
    "period_annualised": {"nl": "Periode, per jaar", "en": "Period, per year"},
    "target": {"nl": "Landelijk doel", "en": "National aim"},
    "groups_count": {"nl": "Groepen", "en": "Groups"},
    "sessions_count": {"nl": "Sessies", "en": "Sessions"},
    "members_count": {"nl": "Leden", "en": "Members"},
    "flags_count": {"nl": "Signalen", "en": "Flags"},
}


def language() -> str:
    """The staff user's language."""
    return getattr(current_user, "language", "nl") or "nl"


def t(key: str) -> str:
    return TEXTS[key].get(language(), TEXTS[key]["nl"])


def labels() -> dict[str, str]:
    """Every text in the user's language (figures take them all), and the language itself."""
    return {key: t(key) for key in TEXTS} | {"language": language()}

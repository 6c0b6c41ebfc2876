"""The figures' texts in the reader's language (Babel gettext: Dutch msgids, the English
catalogue). Layouts and callbacks run inside Flask requests (a callback is a POST of its own),
so they call gettext directly; the figure modules stay free of Flask and take these as a dict."""

from __future__ import annotations

from flask_babel import gettext as _

from rom.i18n import reader_language


def language() -> str:
    """The reader's language, as Babel chose it for this request."""
    return reader_language()


def labels() -> dict[str, str]:
    """Every text a figure may show, and the language itself (for its numbers)."""
    return {
        "language": language(),
        "no_data": _("Nog geen gegevens"),
        "session": _("Groepssessie"),
        "phq9_short": _("PHQ-9"),
        "excused_mark": _("Afgemeld")[0].lower(),  # a(fgemeld), e(xcused)
        "off_course": _("Niet op koers"),
        "position_above": _("Meer klachten dan verwacht"),
        "position_within": _("Zoals verwacht"),
        "position_below": _("Minder klachten dan verwacht"),
        "course_expected": _(", verwacht %(low)s-%(high)s"),
        "course_words": _(
            "%(member)s: PHQ-9 van %(start)s bij de start naar %(last)s in sessie "
            "%(session)s%(expected)s. %(state)s."
        ),
        "climate_score": _("Score (0-6)"),
        "engagement": _("Betrokkenheid"),
        "avoidance": _("Vermijding"),
        "conflict": _("Conflict"),
        "cohesion": _("Cohesie"),
        "attendance": _("Opkomst"),
        "response": _("Vragenlijst ingevuld"),
        "percent": _("Procent van de leden"),
        "count": _("Aantal"),
        "severity_critical": _("Kritiek"),
        "severity_high": _("Hoog"),
        "severity_medium": _("Middel"),
        "severity_low": _("Laag"),
        "baseline": _("Basisjaar"),
        "period_annualised": _("Periode, per jaar"),
        "target": _("Landelijk doel"),
        "volume_axis": _("Cliëntsessies per jaar"),
        "acted": _("Signaal opgepakt uiterlijk op de volgende sessie"),
        "briefed": _("Briefing uiterlijk op de sessiedag geopend"),
        "clients": _("Cliënten"),
        "recovered": _("Hersteld"),
        "improved": _("Verbeterd"),
        "unchanged": _("Onveranderd"),
        "deteriorated": _("Verslechterd"),
        "dropouts": _("Uitgevallen"),
        "days_to_ack": _("Dagen tot actie (mediaan)"),
    }

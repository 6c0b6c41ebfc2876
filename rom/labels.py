"""The words for the domain's codes (kinds of group, formats, outcomes, severities...), in the
reader's language through the Babel catalogues. Services and reports keep codes; pages and PDFs
show these labels. An unknown code is shown as it is."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

KIND_LABELS: dict[str, LazyString] = {
    "psychotherapy": _l("Groepspsychotherapie"),
    "psychoeducation": _l("Psycho-educatie"),
    "skills": _l("Vaardigheidstraining"),
    "art_psychomotor": _l("Vaktherapie of PMT"),
    "recovery": _l("Herstelgroep"),
    "family_system": _l("Systeemgroep"),
}
FORMAT_LABELS = {"closed": _l("Gesloten"), "slow_open": _l("Doorlopend")}
LEAVE_LABELS = {
    "completed": _l("Afgerond"),
    "dropped_out": _l("Uitgevallen"),
    "stepped_up": _l("Opgeschaald"),
    "stepped_down": _l("Afgeschaald"),
    "moved": _l("Verhuisd of overgeplaatst"),
}
OUTCOME_LABELS = {
    "recovered": _l("hersteld"),
    "improved": _l("verbeterd"),
    "unchanged": _l("onveranderd"),
    "deteriorated": _l("verslechterd"),
    None: _l("nog geen twee metingen"),
}
SEVERITY_LABELS = {
    "critical": _l("kritiek"),
    "high": _l("hoog"),
    "medium": _l("middel"),
    "low": _l("laag"),
}
FLAG_STATUS_LABELS = {"open": _l("open"), "resolved": _l("afgesloten")}
ATTENDANCE_LABELS = {
    "present": _l("Aanwezig"),
    "absent": _l("Afwezig"),
    "excused": _l("Afgemeld"),
}


def label(table: dict, code: object, missing: str = "–") -> str:
    """The code's label in the reader's language; the code itself when the table lacks it."""
    value = getattr(code, "value", code)
    if value is None or value != value:  # None or NaN (pandas' empty cell)
        return str(table.get(None, missing))
    return str(table.get(value, value))


def words(table: dict) -> dict:
    """The whole table in the reader's language, for a template to look codes up in."""
    return {code: str(text) for code, text in table.items()}

"""Message texts (Dutch msgids, other languages in the Babel catalogues): which group and
session, the link, and no health information. Session questionnaires go out after the session
they ask about, so no text says "before the session"."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from rom.i18n import LANGUAGES


@dataclass(frozen=True)
class MessageText:
    subject: LazyString | str  # an SMS has none
    body: LazyString


def compose(text: MessageText, language: str, **values: str) -> tuple[str, str]:
    """Subject and body in the recipient's language (Dutch for a language Kring does not
    speak), with the named values filled in."""
    with force_locale(language if language in LANGUAGES else "nl"):
        return str(text.subject), str(text.body) % values


INVITATION = MessageText(
    _l("Kring: vragenlijst voor uw groep"),
    _l(
        "Hallo,\n\nVoor de bijeenkomst van %(group)s op %(day)s staat een korte vragenlijst "
        "voor u klaar. Het invullen duurt een paar minuten:\n\n%(link)s\n\n"
        "Deze link is persoonlijk; stuur hem niet door.\n"
    ),
)
REMINDER = MessageText(
    _l("Kring: herinnering vragenlijst"),
    _l(
        "Hallo,\n\nDe vragenlijst voor de bijeenkomst van %(group)s op %(day)s staat nog voor u "
        "klaar:\n\n%(link)s\n"
    ),
)
SMS_INVITATION = MessageText("", _l("Kring: vragenlijst voor %(group)s (%(day)s): %(link)s"))
SMS_REMINDER = MessageText(
    "", _l("Kring herinnering: vragenlijst voor %(group)s (%(day)s): %(link)s")
)

INTAKE = MessageText(
    _l("Kring: vragenlijst bij uw aanmelding"),
    _l(
        "Hallo,\n\nU bent aangemeld voor een behandeling in een groep. Wilt u voor het "
        "intakegesprek een korte vragenlijst invullen? Het duurt een paar minuten:\n\n%(link)s"
        "\n\nDeze link is persoonlijk; stuur hem niet door.\n"
    ),
)
SMS_INTAKE = MessageText("", _l("Kring: vragenlijst bij uw aanmelding voor een groep: %(link)s"))

# To staff, in the staff member's own language: that something waits and where to log in, never
# a name, code or answer.
DIGEST = MessageText(
    _l("Kring: nieuwe signalen in uw groepen"),
    _l(
        "Er zijn %(count)s nieuwe signalen in uw groepen sinds gisteren.\n"
        "Bekijk ze in Kring: %(link)s\n"
    ),
)
BRIEFING_READY = MessageText(
    _l("Kring: de briefing voor uw volgende groepssessie staat klaar"),
    _l(
        "De briefing voor uw volgende groepssessie staat klaar in Kring.\n"
        "Lees hem vóór de sessie: %(link)s\n"
    ),
)
CRITICAL_ALERT = MessageText(
    _l("Kring: een signaal vraagt direct uw aandacht"),
    _l(
        "Er is in Kring een signaal binnengekomen dat direct uw aandacht vraagt.\n"
        "Log in om het te bekijken: %(link)s\n"
    ),
)
INTAKE_ALERT = MessageText(
    _l("Kring: een aanmelding vraagt direct aandacht"),
    _l(
        "Bij een aanmelding voor groepsbehandeling is een antwoord gegeven dat direct aandacht "
        "vraagt.\nLog in om het te bekijken: %(link)s\n"
    ),
)
ESCALATION = MessageText(
    _l("Kring: een kritiek signaal wacht al te lang op actie"),
    _l(
        "In Kring wacht een kritiek signaal (een antwoord dat direct aandacht vraagt) al meer "
        "dan %(hours)s uur op een vastgelegde actie. Log in, neem contact op met de cliënt en "
        "leg vast wat er gedaan is: %(link)s"
    ),
)

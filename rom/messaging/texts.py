"""Message texts per language: which group and session, the link, and no health information."""

from __future__ import annotations

INVITATION = {
    "nl": (
        "Kring: vragenlijst voor uw groep",
        "Hallo,\n\nVoor de bijeenkomst van {group} op {day} staat een korte vragenlijst "
        "voor u klaar. Het invullen duurt een paar minuten:\n\n{link}\n\n"
        "Deze link is persoonlijk; stuur hem niet door.\n",
    ),
    "en": (
        "Kring: questionnaire for your group",
        "Hello,\n\nA short questionnaire is waiting for you before the {group} session on "
        "{day}. It takes a few minutes:\n\n{link}\n\n"
        "This link is personal; please do not forward it.\n",
    ),
}
REMINDER = {
    "nl": (
        "Kring: herinnering vragenlijst",
        "Hallo,\n\nDe vragenlijst voor de bijeenkomst van {group} op {day} staat nog voor u "
        "klaar:\n\n{link}\n",
    ),
    "en": (
        "Kring: questionnaire reminder",
        "Hello,\n\nThe questionnaire for the {group} session on {day} is still waiting for "
        "you:\n\n{link}\n",
    ),
}


def compose(kind: dict[str, tuple[str, str]], language: str, **values: str) -> tuple[str, str]:
    subject, body = kind.get(language, kind["nl"])
    return subject, body.format(**values)


SMS_INVITATION = {
    "nl": ("", "Kring: vragenlijst voor {group} ({day}): {link}"),
    "en": ("", "Kring: questionnaire for {group} ({day}): {link}"),
}
SMS_REMINDER = {
    "nl": ("", "Kring herinnering: vragenlijst voor {group} ({day}): {link}"),
    "en": ("", "Kring reminder: questionnaire for {group} ({day}): {link}"),
}

INTAKE = {
    "nl": (
        "Kring: vragenlijst bij uw aanmelding",
        "Hallo,\n\nU bent aangemeld voor een behandeling in een groep. Wilt u voor het "
        "intakegesprek een korte vragenlijst invullen? Het duurt een paar minuten:\n\n{link}\n\n"
        "Deze link is persoonlijk; stuur hem niet door.\n",
    ),
    "en": (
        "Kring: questionnaire for your referral",
        "Hello,\n\nYou have been referred for treatment in a group. Would you fill in a short "
        "questionnaire before your intake interview? It takes a few minutes:\n\n{link}\n\n"
        "This link is personal; please do not forward it.\n",
    ),
}
SMS_INTAKE = {
    "nl": ("", "Kring: vragenlijst bij uw aanmelding voor een groep: {link}"),
    "en": ("", "Kring: questionnaire for your group referral: {link}"),
}

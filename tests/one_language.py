"""One language at a time: the words that give away the other language or a raw internal code,
and what the organisation typed (which is data, not the product speaking)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from rom.extensions import db
from rom.instruments import library
from rom.models import Client, Flag, Group, Referral, StaffUser, Suitability

# Words that are UI text in one language and never in the other (function words and the
# product's own vocabulary). A page in the other language holding one has text left untranslated.
ENGLISH: set[str] = {
    "the",
    "and",
    "with",
    "from",
    "your",
    "please",
    "choose",
    "search",
    "session",
    "sessions",
    "group",
    "groups",
    "member",
    "members",
    "flag",
    "flags",
    "sent",
    "queued",
    "failed",
    "critical",
    "high",
    "medium",
    "low",
    "closed",
    "psychoeducation",
    "psychotherapy",
    "skills",
    "present",
    "absent",
    "excused",
    "yes",
    "none",
    "not",
    "save",
    "back",
    "report",
    "reports",
    "attendance",
    "answers",
    "questionnaire",
    "started",
    "stopped",
    "since",
    "today",
    "total",
    "download",
}
DUTCH: set[str] = {
    "de",
    "het",
    "een",
    "van",
    "voor",
    "niet",
    "geen",
    "naar",
    "bij",
    "wordt",
    "zijn",
    "deze",
    "nog",
    "alleen",
    "ook",
    "groep",
    "groepen",
    "sessie",
    "sessies",
    "leden",
    "lid",
    "behandelaar",
    "behandelaars",
    "vragenlijst",
    "vragenlijsten",
    "signalen",
    "signaal",
    "kies",
    "opslaan",
    "terug",
    "aanwezig",
    "afwezig",
    "afgemeld",
    "hoog",
    "laag",
    "gemiddeld",
    "kritiek",
    "gesloten",
    "doorlopend",
    "verstuurd",
    "ja",
    "nee",
    "en",
    "tot",
    "vanaf",
    "vandaag",
    "sinds",
    "antwoorden",
    "aanwezigheid",
    "totaal",
}
FOREIGN: dict[str, set[str]] = {"nl": ENGLISH, "en": DUTCH}
SNAKE_CASE: re.Pattern[str] = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def typed_names() -> list[str]:
    """What the organisation typed: names of people, groups and clients, codes, e-mail."""
    names: list[str] = []
    for column in (StaffUser.name, StaffUser.email, Group.name, Group.code, Client.code):
        names += db.session.scalars(sa.select(column)).all()
    names += [n for n in db.session.scalars(sa.select(Client.first_name)) if n]
    names += [n for n in db.session.scalars(sa.select(Client.email)) if n]
    for typed in (Referral.referrer, Referral.notes, Suitability.reason, Flag.note):
        names += [n for n in db.session.scalars(sa.select(typed)) if n]
    return sorted(names, key=len, reverse=True)


def problems(text: str, language: str, names: list[str]) -> set[str]:
    """What is wrong with the text, each with where it stands ('word' in '...context...')."""
    text = re.sub(r"\s+", " ", text)
    for name in names:
        text = text.replace(name, " ")
    text = re.sub(r"\S+@\S+|https?://\S+|/\S+", " ", text)  # addresses and paths
    instruments = {i for i in library().instruments if not i.isalpha() or len(i) <= 4}
    found = set()
    for match in re.finditer(r"[^\W\d_]+\d*(?:_[a-z0-9]+)*", text):
        word = match.group().lower()
        if SNAKE_CASE.fullmatch(word):
            kind = "raw code"
        elif word in instruments:
            kind = "raw instrument id"
        elif word in FOREIGN[language]:
            kind = "other language"
        else:
            continue
        context = text[max(0, match.start() - 40) : match.end() + 40]
        found.add(f"{kind} '{word}' in '{context}'")
    return found

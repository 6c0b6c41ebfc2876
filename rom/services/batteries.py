"""Batteries: what staff save, and the defaults per kind of group. The defaults: symptoms at
every session from intake; group climate and cohesion from session 2, every session in
process-oriented groups (where the climate is what the group works with), every second session
in structured groups (to keep the burden low)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from questionnaires import Library
from rom.extensions import db
from rom.i18n import LANGUAGES, in_reader_language, reader_language
from rom.instruments import in_language
from rom.models import Battery, BatteryInstrument, GroupKind
from rom.refusals import Refusal

PROCESS_ORIENTED = {GroupKind.PSYCHOTHERAPY, GroupKind.FAMILY_SYSTEM}
AFTER_THE_SESSION_HOURS = 2  # a group session lasts up to two hours: then its measures are sent


STANDARD = "Standaard: klachten elke sessie, groepsklimaat en cohesie vanaf sessie 2"
STRUCTURED = "Gestructureerd: klachten elke sessie, groepsklimaat en cohesie om de sessie"
DEFAULT_NAMES = {  # stored in Dutch; shown in the reader's language
    STANDARD: _l("Standaard: klachten elke sessie, groepsklimaat en cohesie vanaf sessie 2"),
    STRUCTURED: _l("Gestructureerd: klachten elke sessie, groepsklimaat en cohesie om de sessie"),
}


def battery_name(name: str) -> str:
    """A default battery's name in the reader's language; a battery staff named as typed."""
    return str(DEFAULT_NAMES.get(name, name))


def _name(climate_every: int) -> str:
    return STANDARD if climate_every == 1 else STRUCTURED


def default_battery(kind: GroupKind | str = GroupKind.PSYCHOTHERAPY) -> Battery:
    """The organisation's default battery for this kind of group (created when missing, in the
    caller's transaction)."""
    climate_every = 1 if GroupKind(kind) in PROCESS_ORIENTED else 2
    name = _name(climate_every)
    battery = db.session.scalar(sa.select(Battery).where(Battery.name == name))
    if battery is None:
        battery = Battery(
            name=name,
            send_offset_hours=AFTER_THE_SESSION_HOURS,
            reminder_after_hours=20,
            expires_after_hours=30,
        )
        battery.instruments = [
            BatteryInstrument(instrument_id="phq9", position=1, first_session=1, every=1),
            BatteryInstrument(instrument_id="gad7", position=2, first_session=1, every=1),
            BatteryInstrument(
                instrument_id="gcq_s", position=3, first_session=2, every=climate_every
            ),
            BatteryInstrument(
                instrument_id="gcs", position=4, first_session=2, every=climate_every
            ),
        ]
        db.session.add(battery)
        db.session.flush()
    return battery


@dataclass(frozen=True)
class Asked:
    instrument_id: str
    first_session: int
    every: int


@dataclass(frozen=True)
class BatterySettings:
    name: str
    send_offset_hours: int
    reminder_after_hours: int
    expires_after_hours: int
    asked: tuple[Asked, ...]


class BatteryError(Refusal):
    """Settings that cannot be saved; nothing was changed."""


class SentTooEarlyError(BatteryError):
    """The battery asks about a session before that session is over."""


def save_battery(battery: Battery, settings: BatterySettings, library: Library) -> Battery:
    """Apply the settings to the battery (new or existing, the caller commits). Invitations
    already planned keep their questionnaires; the change counts from the next planning."""
    asked = {a.instrument_id for a in settings.asked}
    if asked - set(library.instruments):
        raise BatteryError(_l("Onbekende vragenlijst."))
    intake_only = sorted(asked - set(library.for_sessions()))
    if intake_only:
        titles = {
            language: ", ".join(library[i].title[language] for i in intake_only)
            for language in LANGUAGES
        }
        raise BatteryError(
            _l(
                "%(titles)s: wordt alleen bij aanmelding gevraagd, niet in een bijeenkomst.",
                titles=in_reader_language(titles),
            )
        )
    _refuse_asking_too_early(settings, library)
    clash = db.session.scalar(
        sa.select(Battery.id).where(Battery.name == settings.name, Battery.id != battery.id)
    )
    if clash is not None:
        raise BatteryError(_l("Er is al een meetschema met deze naam."))
    battery.name = settings.name
    battery.send_offset_hours = settings.send_offset_hours
    battery.reminder_after_hours = settings.reminder_after_hours
    battery.expires_after_hours = settings.expires_after_hours
    current = {row.instrument_id: row for row in battery.instruments}
    rows = []
    for position, asked in enumerate(settings.asked, start=1):
        row = current.get(asked.instrument_id) or BatteryInstrument(
            instrument_id=asked.instrument_id
        )
        row.position, row.first_session, row.every = position, asked.first_session, asked.every
        rows.append(row)
    battery.instruments = rows
    db.session.add(battery)
    db.session.flush()
    return battery


def _refuse_asking_too_early(settings: BatterySettings, library: Library) -> None:
    """A questionnaire about the session just held is sent once that session is over."""
    about_the_session = [
        library[a.instrument_id]
        for a in settings.asked
        if library[a.instrument_id].about_the_session
    ]
    if about_the_session and settings.send_offset_hours < AFTER_THE_SESSION_HOURS:
        raise SentTooEarlyError(
            LazyString(
                lambda: _(
                    "%(titles)s: vraagt naar de bijeenkomst die net is geweest; verstuur op zijn "
                    "vroegst %(hours)s uur na de start van de sessie.",
                    titles=", ".join(
                        in_language(i.title, reader_language()) for i in about_the_session
                    ),
                    hours=AFTER_THE_SESSION_HOURS,
                )
            )
        )


def schedule_text(row: BatteryInstrument) -> str:
    """When an instrument is asked, in words in the reader's language."""
    if row.every == 1:
        return _("elke sessie vanaf sessie %(first)s", first=row.first_session)
    return _(
        "elke %(every)se sessie vanaf sessie %(first)s", every=row.every, first=row.first_session
    )

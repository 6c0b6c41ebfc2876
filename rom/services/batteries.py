"""Default batteries per kind of group: symptoms at every session from intake; group climate
and cohesion from session 2, every session in process-oriented groups (where the climate is what
the group works with), every second session in structured groups (to keep the burden low)."""

from __future__ import annotations

import sqlalchemy as sa

from rom.extensions import db
from rom.models import Battery, BatteryInstrument, GroupKind

PROCESS_ORIENTED = {GroupKind.PSYCHOTHERAPY, GroupKind.FAMILY_SYSTEM}


def _name(climate_every: int) -> str:
    if climate_every == 1:
        return "Standaard: klachten elke sessie, groepsklimaat en cohesie vanaf sessie 2"
    return "Gestructureerd: klachten elke sessie, groepsklimaat en cohesie om de sessie"


def default_battery(kind: GroupKind | str = GroupKind.PSYCHOTHERAPY) -> Battery:
    """The organisation's default battery for this kind of group (created when missing, in the
    caller's transaction)."""
    climate_every = 1 if GroupKind(kind) in PROCESS_ORIENTED else 2
    name = _name(climate_every)
    battery = db.session.scalar(sa.select(Battery).where(Battery.name == name))
    if battery is None:
        battery = Battery(
            name=name, send_offset_hours=-24, reminder_after_hours=20, expires_after_hours=30
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

"""Default batteries: symptoms at every session from intake, climate and cohesion from session 2."""

from __future__ import annotations

import sqlalchemy as sa

from rom.extensions import db
from rom.models import Battery, BatteryInstrument

DEFAULT_NAME = "Standaard: klachten elke sessie, groepsklimaat en cohesie vanaf sessie 2"


def default_battery() -> Battery:
    """The organisation's default battery, created in the caller's transaction when missing."""
    battery = db.session.scalar(sa.select(Battery).where(Battery.name == DEFAULT_NAME))
    if battery is None:
        battery = Battery(
            name=DEFAULT_NAME,
            send_offset_hours=-24,
            reminder_after_hours=20,
            expires_after_hours=30,
        )
        battery.instruments = [
            BatteryInstrument(instrument_id="phq9", position=1, first_session=1, every=1),
            BatteryInstrument(instrument_id="gad7", position=2, first_session=1, every=1),
            BatteryInstrument(instrument_id="gcq_s", position=3, first_session=2, every=1),
            BatteryInstrument(instrument_id="gcs", position=4, first_session=2, every=1),
        ]
        db.session.add(battery)
    return battery

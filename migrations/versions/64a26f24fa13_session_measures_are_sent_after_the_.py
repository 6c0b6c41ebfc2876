"""Session measures are sent after the session they are about

The group climate (GCQ-S) and cohesion (GCS) questionnaires ask about the session just held, but
the default batteries sent them 24 hours before it. Batteries that ask either are moved to send
two hours after the session starts (the battery editor now refuses earlier); invitations already
planned keep their times (the planning horizon is three days).

Revision ID: 64a26f24fa13
Revises: b43aa8041550
Create Date: 2026-12-06 23:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "64a26f24fa13"
down_revision = "b43aa8041550"
branch_labels = None
depends_on = None

ABOUT_THE_SESSION = ("gcq_s", "gcs")
AFTER_THE_SESSION_HOURS = 2

batteries = sa.table(
    "batteries", sa.column("id", sa.Integer), sa.column("send_offset_hours", sa.Integer)
)
battery_instruments = sa.table(
    "battery_instruments",
    sa.column("battery_id", sa.Integer),
    sa.column("instrument_id", sa.String),
)


def upgrade() -> None:
    asks_about_the_session = sa.exists().where(
        battery_instruments.c.battery_id == batteries.c.id,
        battery_instruments.c.instrument_id.in_(ABOUT_THE_SESSION),
    )
    op.execute(
        batteries.update()
        .where(batteries.c.send_offset_hours < AFTER_THE_SESSION_HOURS, asks_about_the_session)
        .values(send_offset_hours=AFTER_THE_SESSION_HOURS)
    )


def downgrade() -> None:
    """The earlier offsets are not known any more; the batteries keep sending after the session."""

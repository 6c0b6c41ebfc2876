"""The daily fit keeps the dropout model beside the expected course

The hourly recompute and the recompute after a session closes read the day's stored models and
load only the groups that have members, instead of refitting on every closed case each time.

Revision ID: a7c3e91d2b64
Revises: 6f98a0c54c36
Create Date: 2026-12-07 15:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "a7c3e91d2b64"
down_revision = "6f98a0c54c36"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("course_fits") as batch:
        batch.add_column(sa.Column("dropout_model", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("course_fits") as batch:
        batch.drop_column("dropout_model")

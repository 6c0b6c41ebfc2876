"""Sessions remember when their questionnaires closed (flags are recomputed then, once).

Revision ID: 62b8ef828024
Revises: 970a46b13d7b
Create Date: 2026-11-24 10:43:47.510457
"""

import sqlalchemy as sa
from alembic import op

revision = "62b8ef828024"
down_revision = "970a46b13d7b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("group_sessions") as batch_op:
        batch_op.add_column(sa.Column("questionnaires_closed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("group_sessions") as batch_op:
        batch_op.drop_column("questionnaires_closed_at")

"""Invitation drafts carry a version, so two tabs saving different pages keep both.

Revision ID: 5c1e2f3a9b7d
Revises: 87276b97b8d7
Create Date: 2026-12-01 23:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "5c1e2f3a9b7d"
down_revision = "87276b97b8d7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.add_column(
            sa.Column("draft_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("invitations") as batch_op:
        batch_op.drop_column("draft_version")

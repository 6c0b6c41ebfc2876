"""The management dashboard's figures prepared hourly

The organisation section read the period's groups and built their panel on every click (about
the organisation report's cost: seconds at 10,000 members, minutes at 100,000). The scheduler
now prepares the usual periods' figures each hour; the dashboard shows those at once.

Revision ID: 172b4bdaa9b1
Revises: abe10300d705
Create Date: 2026-12-08 01:55:20

"""

import sqlalchemy as sa
from alembic import op

revision = "172b4bdaa9b1"
down_revision = "abe10300d705"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prepared_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("waiting", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepared_figures")),
        sa.UniqueConstraint(
            "starts_on",
            "ends_on",
            "baseline_year",
            name=op.f("uq_prepared_figures_starts_on_ends_on_baseline_year"),
        ),
    )


def downgrade() -> None:
    op.drop_table("prepared_figures")

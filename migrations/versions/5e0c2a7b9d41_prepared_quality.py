"""The management dashboard's quality section prepared hourly

The quality section read every group since the baseline year and fitted the baseline's expected
course on every view (about the growth path report's cost: seconds at 10,000 members, minutes at
100,000). The scheduler now prepares each ended episode's outcome and chances and each group's
response counts; the dashboard sums those for whichever groups are chosen.

Revision ID: 5e0c2a7b9d41
Revises: 172b4bdaa9b1
Create Date: 2026-12-08 03:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5e0c2a7b9d41"
down_revision = "172b4bdaa9b1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prepared_quality",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("prepared_at", sa.DateTime(), nullable=False),
        sa.Column("episodes", sa.JSON(), nullable=False),
        sa.Column("responses", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepared_quality")),
        sa.UniqueConstraint("baseline_year", name=op.f("uq_prepared_quality_baseline_year")),
    )


def downgrade() -> None:
    op.drop_table("prepared_quality")

"""Stored expected course fits: the scheduler refits, requests read the newest.

Revision ID: d3309222c5e4
Revises: 62b8ef828024
Create Date: 2026-11-24 11:27:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d3309222c5e4"
down_revision = "62b8ef828024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("closed_cases", sa.Integer(), nullable=False),
        sa.Column("fractions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_fits")),
    )
    with op.batch_alter_table("course_fits") as batch_op:
        batch_op.create_index(batch_op.f("ix_course_fits_fitted_at"), ["fitted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("course_fits") as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_fits_fitted_at"))
    op.drop_table("course_fits")

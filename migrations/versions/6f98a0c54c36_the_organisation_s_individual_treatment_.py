"""The organisation's individual treatment volume per year

Kring sees only groups; the share of group treatment in all treatment needs the organisation's
individual contacts per calendar year, entered on a page, imported as CSV or sent by the API.

Revision ID: 6f98a0c54c36
Revises: 64a26f24fa13
Create Date: 2026-12-07 12:06:25

"""

import sqlalchemy as sa
from alembic import op

revision = "6f98a0c54c36"
down_revision = "64a26f24fa13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "individual_volumes",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "form",
                "csv",
                "api",
                name="volumesource",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "sessions >= 0", name=op.f("ck_individual_volumes_sessions_not_negative")
        ),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_individual_volumes_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["staff_users.id"],
            name=op.f("fk_individual_volumes_recorded_by_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_individual_volumes")),
    )


def downgrade() -> None:
    op.drop_table("individual_volumes")

"""Reports asked for on the reports page, prepared by the scheduler

The organisation report and the growth path read the whole organisation: at tens of thousands of
members they take longer than a web request may. The page now asks, the scheduler renders the PDF
in the asker's language and keeps it a day for the asker to download.

Revision ID: abe10300d705
Revises: a7c3e91d2b64
Create Date: 2026-12-08 00:47:08

"""

import sqlalchemy as sa
from alembic import op

revision = "abe10300d705"
down_revision = "a7c3e91d2b64"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prepared_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "organisation",
                "growth_path",
                name="reportkind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "preparing",
                "ready",
                "failed",
                name="reportstatus",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.CheckConstraint(
            "(kind = 'organisation' AND starts_on IS NOT NULL AND ends_on IS NOT NULL"
            " AND starts_on <= ends_on AND year IS NULL)"
            " OR (kind = 'growth_path' AND year IS NOT NULL AND starts_on IS NULL"
            " AND ends_on IS NULL)",
            name=op.f("ck_prepared_reports_period_of_kind"),
        ),
        sa.CheckConstraint(
            "status != 'ready' OR content IS NOT NULL",
            name=op.f("ck_prepared_reports_ready_has_content"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["staff_users.id"],
            name=op.f("fk_prepared_reports_requested_by_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prepared_reports")),
    )
    with op.batch_alter_table("prepared_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_prepared_reports_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_prepared_reports_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prepared_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prepared_reports_status"))
        batch_op.drop_index(batch_op.f("ix_prepared_reports_requested_by_id"))

    op.drop_table("prepared_reports")

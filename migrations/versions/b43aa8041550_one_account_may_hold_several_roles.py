"""One account may hold several roles: a therapist who also manages, an administrator who also
treats. Each account's one role becomes its first grant.

Revision ID: b43aa8041550
Revises: a3cafa5b6519
Create Date: 2026-12-02 18:37:38.378445

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b43aa8041550'
down_revision = 'a3cafa5b6519'
branch_labels = None
depends_on = None

ROLE = sa.Enum(
    'therapist', 'manager', 'admin', name='role', native_enum=False, create_constraint=True,
    length=24,
)


def upgrade():
    op.create_table('staff_roles',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('role', ROLE, nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_staff_roles_staff_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'role', name=op.f('pk_staff_roles'))
    )
    op.execute('INSERT INTO staff_roles (staff_id, role) SELECT id, role FROM staff_users')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_role'), type_='check')
        batch_op.drop_column('role')


def downgrade():
    """Back to one role per account: the most far-reaching one it holds."""
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(24), nullable=True))
    op.execute(
        "UPDATE staff_users SET role = CASE"
        " WHEN EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = staff_users.id"
        " AND r.role = 'admin') THEN 'admin'"
        " WHEN EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = staff_users.id"
        " AND r.role = 'manager') THEN 'manager' ELSE 'therapist' END"
    )
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.alter_column('role', existing_type=sa.String(24), nullable=False)
        batch_op.create_check_constraint('role', "role IN ('therapist', 'manager', 'admin')")
    op.drop_table('staff_roles')

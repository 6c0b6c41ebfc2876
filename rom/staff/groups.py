"""The groups a user may see, with how many members and open flags each has."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user, login_required

from rom.access import group_for, groups_for
from rom.audit import record
from rom.extensions import db
from rom.models import Client, Flag, FlagStatus, Membership, Role
from rom.staff import bp


@bp.get("/groups")
@login_required
def groups() -> str:
    members = (
        sa.select(sa.func.count())
        .where(
            Membership.group_id == sa.literal_column("groups.id"), Membership.left_session.is_(None)
        )
        .scalar_subquery()
    )
    flags = (
        sa.select(sa.func.count())
        .where(Flag.group_id == sa.literal_column("groups.id"), Flag.status == FlagStatus.OPEN)
        .scalar_subquery()
    )
    query = groups_for(current_user).add_columns(members.label("members"), flags.label("flags"))
    return render_template(
        "staff/groups.html",
        rows=db.session.execute(query).all(),
        may_choose=current_user.role in (Role.THERAPIST, Role.ADMIN),
    )


@bp.get("/groups/<int:group_id>")
@login_required
def group(group_id: int) -> str:
    """A group's members by pseudonymous code, with their state and open flags. Managers see
    the codes only; contact details are never shown here."""
    group = group_for(current_user, group_id)
    open_flags = (
        sa.select(sa.func.count())
        .where(Flag.membership_id == Membership.id, Flag.status == FlagStatus.OPEN)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Membership, Client.code, open_flags.label("flags"))
        .join(Client)
        .where(Membership.group_id == group.id)
        .order_by(Membership.left_session.is_not(None), Client.code)
    ).all()
    record(current_user, "view", "group_members", group.id, members=len(rows))
    db.session.commit()
    return render_template(
        "staff/group.html",
        group=group,
        rows=rows,
        may_report=current_user.role == Role.THERAPIST,
    )

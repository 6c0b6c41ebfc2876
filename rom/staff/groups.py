"""The groups a user may see, with how many members and open flags each has."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask_login import current_user, login_required

from rom.access import groups_for
from rom.extensions import db
from rom.models import Flag, FlagStatus, Membership, Role
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

"""Who may see what, in one place: views, API, CLI and dashboards all ask here."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from rom.extensions import db
from rom.models import Flag, Group, Membership, Role, StaffUser, group_therapists


def groups_for(user: StaffUser) -> sa.Select:
    """Therapists: the groups they lead; managers and admins: all groups."""
    query = sa.select(Group).order_by(Group.name)
    if user.role == Role.THERAPIST:
        query = query.join(group_therapists).where(group_therapists.c.staff_id == user.id)
    return query


def group_ids_for(user: StaffUser) -> list[int]:
    return list(db.session.scalars(groups_for(user).with_only_columns(Group.id)))


def group_for(user: StaffUser, group_id: int) -> Group:
    """The group, or 404 when it is not this user's (not 403: its existence is not revealed)."""
    group = db.session.scalar(groups_for(user).where(Group.id == group_id))
    if group is None:
        abort(404)
    return group


def flag_for(user: StaffUser, flag_id: int) -> Flag:
    flag = db.session.get(Flag, flag_id)
    if flag is None or flag.group_id not in group_ids_for(user):
        abort(404)
    return flag


def membership_for(user: StaffUser, membership_id: int) -> Membership:
    """A membership in one of the user's groups, or 404."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id not in group_ids_for(user):
        abort(404)
    return membership


def require_role(user: StaffUser, *roles: Role) -> None:
    if user.role not in roles:
        abort(403)

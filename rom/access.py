"""Who may see what, in one place: views, API, CLI and dashboards all ask here."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import abort, current_app
from flask_login import current_user, login_required

from rom.extensions import db
from rom.models import Client, Flag, Group, Membership, Role, StaffUser, group_therapists

View = TypeVar("View", bound=Callable[..., Any])


def led_groups(user: StaffUser) -> sa.Select:
    """The groups the user leads as one of their therapists (none for other roles)."""
    query = sa.select(Group).order_by(Group.name)
    if not user.has_role(Role.THERAPIST):
        return query.where(sa.false())
    return query.join(group_therapists).where(group_therapists.c.staff_id == user.id)


def groups_for(user: StaffUser) -> sa.Select:
    """The groups whose aggregate figures the user sees: all groups for managers and
    administrators, a therapist's own groups otherwise."""
    if user.has_role(Role.MANAGER, Role.ADMIN):
        return sa.select(Group).order_by(Group.name)
    return led_groups(user)


def group_ids_for(user: StaffUser) -> list[int]:
    return list(db.session.scalars(groups_for(user).with_only_columns(Group.id)))


def member_detail_group_ids_for(user: StaffUser) -> list[int]:
    """The groups whose members' clinical detail (flags per member, reasons, scores) the user
    may see: the groups they lead. Managers and administrators see aggregates only, also when
    the same account leads some groups as a therapist."""
    return list(db.session.scalars(led_groups(user).with_only_columns(Group.id)))


def leads(user: StaffUser, group: Group) -> bool:
    return group.id in member_detail_group_ids_for(user)


def visible_flags(user: StaffUser, group_ids: sa.Select | list[int]) -> sa.ColumnElement[bool]:
    """Flags of these groups the user may see: a group's own signals (aggregates) for anyone
    who sees the group, a member's flags only for the member's therapists."""
    return sa.and_(
        Flag.group_id.in_(group_ids),
        sa.or_(
            Flag.membership_id.is_(None),
            Flag.group_id.in_(member_detail_group_ids_for(user)),
        ),
    )


def group_for(user: StaffUser, group_id: int) -> Group:
    """The group, or 404 when it is not this user's (not 403: its existence is not revealed)."""
    group = db.session.scalar(groups_for(user).where(Group.id == group_id))
    if group is None:
        abort(404)
    return group


def led_group_for(user: StaffUser, group_id: int) -> Group:
    """A group the user leads, for clinical work on it (sessions, members, briefings), or 404."""
    group = db.session.scalar(led_groups(user).where(Group.id == group_id))
    if group is None:
        abort(404)
    return group


def changeable_group_for(user: StaffUser, group_id: int) -> Group:
    """A group the user may change: any group for an administrator, a led group otherwise."""
    if user.has_role(Role.ADMIN):
        return group_for(user, group_id)
    return led_group_for(user, group_id)


def flag_for(user: StaffUser, flag_id: int) -> Flag:
    """A flag the user may act on: a member's flag for the member's therapists, a group's flag
    for the group's therapists; otherwise 404."""
    flag = db.session.get(Flag, flag_id)
    if flag is None or flag.group_id not in member_detail_group_ids_for(user):
        abort(404)
    return flag


def membership_for(user: StaffUser, membership_id: int) -> Membership:
    """A membership in one of the groups the user leads, or 404."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.group_id not in member_detail_group_ids_for(user):
        abort(404)
    return membership


def known_client(code: str, group_ids: sa.Select | list[int]) -> Client | None:
    """The client with this code if they were ever a member of one of these groups: a typed code
    reaches only a client the caller may already see."""
    return db.session.scalar(
        sa.select(Client)
        .join(Membership, Membership.client_id == Client.id)
        .where(Client.code == code, Membership.group_id.in_(group_ids))
        .limit(1)
    )


def may_work_the_waiting_list(user: StaffUser) -> bool:
    """Therapists, or only those marked as intake staff where INTAKE_ACCESS says "intake": the
    waiting list shows referrals' intake answers."""
    if not user.has_role(Role.THERAPIST):
        return False
    return current_app.config["INTAKE_ACCESS"] != "intake" or user.intake


def require_role(user: StaffUser, *roles: Role) -> None:
    if not user.has_role(*roles):
        abort(403)


def staff_view(*roles: Role) -> Callable[[View], View]:
    """A staff page: logged in (else the login page) and, where roles are named, holding one of
    them (else 403)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        @login_required
        def checked(*args: Any, **kwargs: Any) -> Any:
            if roles:
                require_role(current_user, *roles)
            return view(*args, **kwargs)

        return cast(View, checked)

    return decorate

"""Groups: create and edit them, plan and cancel their sessions. Each public function works in
the caller's transaction and raises GroupError (changing nothing) when it cannot be done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from rom.clock import session_start
from rom.extensions import db
from rom.models import (
    Battery,
    Group,
    GroupFormat,
    GroupKind,
    GroupSession,
    Invitation,
    Language,
    Role,
    SessionStatus,
    StaffUser,
)
from rom.refusals import Refusal
from rom.services.batteries import default_battery
from rom.services.expiry import withdraw_invitations


class GroupError(Refusal):
    """A change to a group that cannot be made as asked; nothing was changed."""


@dataclass(frozen=True)
class GroupSettings:
    code: str
    name: str
    kind: GroupKind
    format: GroupFormat
    planned_sessions: int
    intended_size: int
    start_date: date
    start_time: time
    therapist_ids: tuple[int, ...]
    battery_id: int | None = None
    member_feedback: bool = False
    ask_topic: bool = False
    minimum_size: int = 4
    language: Language = Language.NL


def create_group(settings: GroupSettings) -> Group:
    """A new group with its weekly sessions planned from the start date."""
    if db.session.scalar(sa.select(Group.id).where(Group.code == settings.code)) is not None:
        raise GroupError(_l("Er is al een groep met deze code."))
    therapists, battery = _checked(settings)
    group = Group(code=settings.code)
    _apply(group, settings, therapists, battery)
    db.session.add(group)
    db.session.flush()
    for number in range(1, settings.planned_sessions + 1):
        day = settings.start_date + timedelta(weeks=number - 1)
        db.session.add(
            GroupSession(
                group_id=group.id, number=number, planned_start=_start(day, settings.start_time)
            )
        )
    return group


def edit_group(group: Group, settings: GroupSettings) -> Group:
    """Change a group's details; more planned sessions are added at the end, fewer remove
    planned sessions from the end (never a held one, never one with invitations)."""
    clash = db.session.scalar(
        sa.select(Group.id).where(Group.code == settings.code, Group.id != group.id)
    )
    if clash is not None:
        raise GroupError(_l("Er is al een groep met deze code."))
    therapists, battery = _checked(settings)
    sessions = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.group_id == group.id)
        .order_by(GroupSession.number)
    ).all()
    dropped = sessions[settings.planned_sessions :]
    for session in dropped:
        _check_droppable(session)
    for session in dropped:
        db.session.delete(session)
    if settings.planned_sessions > len(sessions):
        last = sessions[-1].planned_start if sessions else None
        for number in range(len(sessions) + 1, settings.planned_sessions + 1):
            day = (
                (last + timedelta(weeks=number - len(sessions))).date()
                if last
                else settings.start_date + timedelta(weeks=number - 1)
            )
            db.session.add(
                GroupSession(
                    group_id=group.id, number=number, planned_start=_start(day, settings.start_time)
                )
            )
    _apply(group, settings, therapists, battery)
    return group


def _check_droppable(session: GroupSession) -> None:
    if session.status != SessionStatus.PLANNED or _invited(session):
        raise GroupError(
            _l(
                "Sessie %(number)s is al gehouden of uitgenodigd; minder sessies kan niet.",
                number=session.number,
            )
        )


def _invited(session: GroupSession) -> bool:
    return (
        db.session.scalar(
            sa.select(Invitation.id).where(Invitation.session_id == session.id).limit(1)
        )
        is not None
    )


def _checked(settings: GroupSettings) -> tuple[list[StaffUser], Battery]:
    """The group's therapists and battery, once the settings are known to be possible: every
    refusal comes before anything is changed."""
    therapists = db.session.scalars(
        sa.select(StaffUser).where(
            StaffUser.id.in_(settings.therapist_ids), StaffUser.holding(Role.THERAPIST)
        )
    ).all()
    if not therapists or len(therapists) != len(set(settings.therapist_ids)):
        raise GroupError(_l("Kies een of meer behandelaars."))
    battery = (
        db.session.get(Battery, settings.battery_id)
        if settings.battery_id
        else default_battery(settings.kind)
    )
    if battery is None:
        raise GroupError(_l("Onbekend meetschema."))
    if settings.minimum_size > settings.intended_size:
        raise GroupError(_l("Het minimum is groter dan de beoogde grootte."))
    return list(therapists), battery


def _apply(
    group: Group, settings: GroupSettings, therapists: list[StaffUser], battery: Battery
) -> None:
    group.name = settings.name
    group.kind = settings.kind
    group.format = settings.format
    group.planned_sessions = settings.planned_sessions
    group.intended_size = settings.intended_size
    group.minimum_size = settings.minimum_size
    group.language = settings.language
    group.start_date = settings.start_date
    group.weekday = settings.start_date.weekday()
    group.start_time = settings.start_time
    group.therapists = list(therapists)
    group.battery = battery
    group.member_feedback = settings.member_feedback
    group.ask_topic = settings.ask_topic


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def _start(day: date, at: time) -> datetime:
    if not EARLIEST <= day <= LATEST:
        raise GroupError(_l("Kies een datum tussen 2000 en 2100."))
    return session_start(day, at.replace(tzinfo=None), current_app.config["TIMEZONE"])


def add_session(group: Group, day: date, at: time) -> GroupSession:
    """An extra session after the last one (for example to make up for a cancelled one)."""
    last = db.session.scalar(
        sa.select(GroupSession)
        .where(GroupSession.group_id == group.id)
        .order_by(GroupSession.number.desc())
        .limit(1)
    )
    start = _start(day, at)
    if last is not None and start <= last.planned_start:
        raise GroupError(_l("Een extra sessie komt na de laatste."))
    session = GroupSession(
        group_id=group.id, number=(last.number if last else 0) + 1, planned_start=start
    )
    group.planned_sessions = session.number
    db.session.add(session)
    return session


def cancel_session(session: GroupSession) -> int:
    """Cancel a planned session: its waiting messages are cancelled (links removed) and its
    invitations expire now. Returns how many messages were cancelled."""
    if session.status != SessionStatus.PLANNED:
        raise GroupError(_l("Alleen een geplande sessie kan vervallen."))
    session.status = SessionStatus.CANCELLED
    invitations = db.session.scalars(
        sa.select(Invitation).where(Invitation.session_id == session.id)
    ).all()
    return withdraw_invitations(list(invitations))


def move_session(session: GroupSession, day: date, at: time) -> GroupSession:
    """Move a planned session that has no invitations yet, keeping the order of sessions."""
    if session.status != SessionStatus.PLANNED:
        raise GroupError(_l("Alleen een geplande sessie kan verschuiven."))
    if _invited(session):
        raise GroupError(
            _l(
                "Voor deze sessie zijn al uitnodigingen gepland; laat haar vervallen en voeg een "
                "sessie toe."
            )
        )
    start = _start(day, at)
    neighbours = db.session.execute(
        sa.select(GroupSession.number, GroupSession.planned_start).where(
            GroupSession.group_id == session.group_id,
            GroupSession.number.in_((session.number - 1, session.number + 1)),
        )
    ).all()
    for number, moment in neighbours:
        if (number < session.number and start <= moment) or (
            number > session.number and start >= moment
        ):
            raise GroupError(_l("De sessie komt dan niet meer tussen de vorige en de volgende."))
    session.planned_start = start
    return session

"""Keep stored flags in step with the signals: raise, update while it lasts, resolve, and never
raise again an episode staff already acknowledged."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from numbers import Integral, Real

import numpy as np
import pandas as pd
import sqlalchemy as sa

from rom.analytics.replay import current_flags, replay
from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import numbered_frames
from rom.models import (
    Client,
    Flag,
    FlagStatus,
    Group,
    GroupSession,
    Membership,
    SessionStatus,
    utcnow,
)
from rom.services.courses import models_on

DORMANT_AFTER = timedelta(weeks=8)
"""A group with no session in this long and none to come is no longer in treatment (an imported
group that ended, whose members were never marked as left): its flags end with it."""


@dataclass(frozen=True)
class SyncSummary:
    raised: int
    updated: int
    resolved: int


def recompute_flags(as_of: date | None = None, group_ids: set[int] | None = None) -> SyncSummary:
    """Compute the current flags of the groups in treatment (of `group_ids` only, when given) and
    store them (the caller commits). Only those groups' rows are read, and the models are the
    day's stored fit, so the cost follows the members in treatment, not the history; the open
    flags of a group no longer in treatment are resolved."""
    day = as_of or organisation_today()
    treated = in_treatment(day)
    groups = _among(sa.select(Group.id).where(treated), group_ids)
    frames, names = numbered_frames(sorted(groups))
    timestamp = pd.Timestamp(day)
    computed = pd.DataFrame()
    if len(frames.sessions):
        computed = names.named(current_flags(frames, timestamp, models_on(day)))
    held = frames.sessions[frames.sessions["held"] & (frames.sessions["date"] <= timestamp)]
    evaluated = set(names.groups[held["group_id"].unique()])
    return store_flags(computed, evaluated | _ended_with_open_flags(treated, group_ids))


def in_treatment(day: date) -> sa.ColumnElement[bool]:
    """Whether a group is in treatment on `day`: it has a current member and a session in the
    last DORMANT_AFTER or still to come (a cancelled one does not count)."""
    current = (
        sa.select(Membership.id)
        .where(Membership.group_id == Group.id, Membership.left_session.is_(None))
        .exists()
    )
    since = datetime.combine(day - DORMANT_AFTER, datetime.min.time())
    recent = (
        sa.select(GroupSession.id)
        .where(
            GroupSession.group_id == Group.id,
            GroupSession.planned_start >= since,
            GroupSession.status != SessionStatus.CANCELLED,
        )
        .exists()
    )
    return current & recent


def _among(query: sa.Select, group_ids: set[int] | None) -> set:
    if group_ids is not None:
        query = query.where(Group.id.in_(group_ids))
    return set(db.session.scalars(query))


def _ended_with_open_flags(treated: sa.ColumnElement[bool], group_ids: set[int] | None) -> set:
    """Codes of groups with open flags that are no longer in treatment: their flags end."""
    flagged = (
        sa.select(Flag.id).where(Flag.group_id == Group.id, Flag.status == FlagStatus.OPEN).exists()
    )
    return _among(sa.select(Group.code).where(flagged, ~treated), group_ids)


def _ids() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    groups = dict(db.session.execute(sa.select(Group.code, Group.id)).all())
    memberships = {
        (g, c): m
        for m, g, c in db.session.execute(
            sa.select(Membership.id, Group.code, Client.code)
            .join(Group)
            .join(Client)
            .where(Membership.left_session.is_(None))
        )
    }
    return groups, memberships


def store_flags(computed: pd.DataFrame, evaluated_groups: set[str]) -> SyncSummary:
    """Bring stored flags in line with freshly computed ones for the evaluated groups: a flag
    open there but no longer computed has ended (the caller commits)."""
    groups, memberships = _ids()
    open_flags = {
        (f.group_id, f.membership_id, f.kind.value): f
        for f in db.session.scalars(sa.select(Flag).where(Flag.status == FlagStatus.OPEN))
    }
    seen, raised, updated = set(), 0, 0
    evaluated = {groups[code] for code in evaluated_groups if code in groups}
    for row in computed.itertuples(index=False):
        group_id = groups.get(row.group_id)
        membership_id = (
            None if _missing(row.member_id) else memberships.get((row.group_id, row.member_id))
        )
        if group_id is None or (membership_id is None and not _missing(row.member_id)):
            continue
        key = (group_id, membership_id, row.kind)
        seen.add(key)
        if key in open_flags:
            _update(open_flags[key], row)
            updated += 1
        else:
            db.session.add(_new_flag(group_id, membership_id, row))
            raised += 1
    resolved = _resolve(
        [f for k, f in open_flags.items() if k not in seen and f.group_id in evaluated]
    )
    return SyncSummary(raised, updated, resolved)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _score(value: object) -> float | None:
    return None if _missing(value) else float(value)


def _new_flag(group_id: int, membership_id: int | None, row: tuple) -> Flag:
    return Flag(
        group_id=group_id,
        membership_id=membership_id,
        kind=row.kind,
        severity=row.severity,
        score=_score(row.score),
        reasons=_plain(row.reasons),
        suggested_action=row.action,
        raised_session=int(row.session_no),
        last_session=int(row.session_no),
    )


def _update(flag: Flag, row: tuple) -> None:
    flag.severity = row.severity
    flag.score = _score(row.score)
    flag.reasons = _plain(row.reasons)
    flag.last_session = int(row.session_no)


def _resolve(flags: list[Flag]) -> int:
    for flag in flags:
        flag.status = FlagStatus.RESOLVED
        flag.resolved_at = utcnow()
    return len(flags)


def _plain(reasons: list[dict]) -> list[dict]:
    """Reasons as JSON-safe values: numpy numbers become Python ones, counts stay whole and
    measurements are rounded for reading."""
    return [{k: _plain_value(v) for k, v in reason.items()} for reason in reasons or []]


def _plain_value(value: object) -> object:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        return round(float(value), 2)
    return value


def open_flags(group_code: str | None = None, group_ids: list[int] | None = None) -> pd.DataFrame:
    """Open flags (of one group by code, or of the given groups), with their ids."""
    query = (
        sa.select(
            Flag.id,
            Flag.raised_session,
            Group.code,
            Client.code,
            Flag.last_session,
            Flag.kind,
            Flag.severity,
            Flag.score,
            Flag.reasons,
            Flag.suggested_action,
            Flag.acknowledged_at,
        )
        .join(Group, Flag.group_id == Group.id)
        .outerjoin(Membership, Flag.membership_id == Membership.id)
        .outerjoin(Client, Membership.client_id == Client.id)
        .where(Flag.status == FlagStatus.OPEN)
    )
    if group_code:
        query = query.where(Group.code == group_code)
    if group_ids is not None:
        query = query.where(Flag.group_id.in_(group_ids))
    rows = db.session.execute(query).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "flag_id",
            "raised_session",
            "group_id",
            "member_id",
            "session_no",
            "kind",
            "severity",
            "score",
            "reasons",
            "action",
            "acknowledged_at",
        ],
    )
    frame["kind"] = frame["kind"].map(lambda k: k.value)
    frame["severity"] = frame["severity"].map(lambda s: s.value)
    return frame


def replayed_flags(group_code: str | None = None) -> pd.DataFrame:
    frames, names = numbered_frames()
    flags = names.named(replay(frames).flags)
    return flags[flags["group_id"] == group_code] if group_code else flags

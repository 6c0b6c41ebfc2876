"""The thin loaders: database rows → the frames rom/analytics and rom/reports work on."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa
from flask import current_app

from questionnaires import critical_frame
from rom.analytics.closed_cases import endings
from rom.analytics.columns import FORMAT, GROUP, MEMBER, SESSION
from rom.analytics.expected_course import ExpectedCourse, default_course
from rom.analytics.inputs import Frames, KeyNames
from rom.analytics.panel import empty_panel
from rom.analytics.replay import course_as_of, course_panel
from rom.clock import to_local
from rom.extensions import db
from rom.instruments import library, phq9_total
from rom.models import (
    Answer,
    Attendance,
    AuditEvent,
    Client,
    Flag,
    Group,
    GroupSession,
    Membership,
    Referral,
    Response,
    Score,
    SessionStatus,
    StaffUser,
    group_therapists,
)
from rom.reports.summary import OrganisationSummary, Period, ReportInputs, organisation_summary
from rom.reports.waiting import WaitingFigures, waiting_figures


def _frame(query: sa.Select, columns: list[str]) -> pd.DataFrame:
    """The query's rows as a frame, built column by column from plain rows (Core execution and a
    columnar build: the ORM's row objects and pandas' probing of each row cost more than the
    query at hundreds of thousands of rows). Pending changes are flushed first, as the session's
    own execute would."""
    db.session.flush()
    rows = db.session.connection().execute(query).fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, zip(*rows, strict=True), strict=True)))


def _plain_frame(query: sa.Select, columns: list[str]) -> pd.DataFrame:
    """As `_frame`, for a query whose columns are plain strings and numbers (no enumeration,
    date or JSON to convert): its rows come straight from the database driver, without the
    row objects that cost as much as the fetch (the scores are most of the frames' rows). The
    values it filters on are written into the statement; they are the application's own."""
    db.session.flush()
    connection = db.session.connection()
    statement = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(statement))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame.from_records(rows, columns=columns)  # plain tuples: 4x the columnar build


CODES = (Group.code, Client.code)  # the keys of the frames by default


def load_frames(group_ids: list[int] | None = None) -> Frames:
    """Every group's data (or only the given groups'), as analytics frames keyed by group and
    member code."""
    return _loaded(group_ids, CODES)[0]


def numbered_frames(group_ids: list[int] | None = None) -> tuple[Frames, KeyNames]:
    """As `load_frames`, keyed by numbers in the order of the codes, and the codes they stand
    for: the flags and fits come out the same, and integer keys merge and group several times
    faster than text at tens of thousands of members."""
    frames, groups, roster = _loaded(group_ids, (Group.id, Membership.client_id))
    return _numbered(frames, groups, roster)


def _loaded(
    group_ids: list[int] | None, keys: tuple[sa.ColumnElement, sa.ColumnElement]
) -> tuple[Frames, pd.DataFrame, pd.DataFrame]:
    """The frames keyed by `keys`, and the groups and roster with their codes beside them."""
    where = [among(Group.id, group_ids)] if group_ids is not None else []
    groups = _frame(
        sa.select(keys[0], Group.code, Group.format, Group.planned_sessions).where(*where),
        ["group_id", "group_code", "format", "planned_sessions"],
    )
    groups["format"] = groups["format"].map(lambda f: f.value)
    roster = _frame(
        sa.select(
            *keys,
            Client.code,
            Membership.joined_session,
            Membership.left_session,
            Membership.leave_reason,
        )
        .join(Group)
        .join(Client)
        .where(*where),
        ["group_id", "member_id", "member_code", "joined_session", "left_session", "leave_reason"],
    )
    roster["leave_reason"] = roster["leave_reason"].map(lambda r: getattr(r, "value", None))
    frames = Frames(
        groups=groups.drop(columns="group_code"),
        roster=roster.drop(columns="member_code"),
        sessions=_sessions(where, keys[0]),
        attendance=_attendance(where, keys),
        scores=_scores([*where, *_within(Score.response_id, group_ids)], keys),
        critical=_critical([*where, *_within(Answer.response_id, group_ids)], keys),
    )
    return frames, groups, roster


def _numbered(
    frames: Frames, groups: pd.DataFrame, roster: pd.DataFrame
) -> tuple[Frames, KeyNames]:
    """The frames with group and client ids replaced by numbers in the order of their codes."""
    group_numbers, group_codes = _numbering(groups["group_id"], groups["group_code"])
    member_numbers, member_codes = _numbering(*_client_codes(frames, roster))

    def renumbered(frame: pd.DataFrame) -> pd.DataFrame:
        frame[GROUP] = group_numbers[frame[GROUP].to_numpy(dtype=np.int64)]
        if MEMBER in frame:
            frame[MEMBER] = member_numbers[frame[MEMBER].to_numpy(dtype=np.int64)]
        return frame

    numbered = Frames(
        groups=renumbered(frames.groups),
        roster=renumbered(frames.roster),
        sessions=renumbered(frames.sessions),
        attendance=renumbered(frames.attendance),
        scores=renumbered(frames.scores),
        critical=renumbered(frames.critical),
    )
    return numbered, KeyNames(group_codes, member_codes)


def _client_codes(frames: Frames, roster: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The ids and codes of every client in the frames: the roster's, and any whose answers or
    attendance sit in a session of a group they are not on the roster of (a record out of
    place keeps its own client, as it does in frames keyed by code)."""
    ids, codes = roster[MEMBER], roster["member_code"]
    seen = [frames.attendance[MEMBER], frames.scores[MEMBER], frames.critical[MEMBER]]
    others = set(pd.concat(seen).unique().tolist()) - set(ids.tolist())
    if not others:
        return ids, codes
    extra = db.session.execute(
        sa.select(Client.id, Client.code).where(among(Client.id, sorted(others)))
    ).all()
    return (
        pd.concat([ids, pd.Series([i for i, _ in extra])], ignore_index=True),
        pd.concat([codes, pd.Series([c for _, c in extra])], ignore_index=True),
    )


def _numbering(ids: pd.Series, codes: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A lookup from id to number (numbers follow the codes' order) and the codes by number."""
    code_of = dict(zip(ids.tolist(), codes.tolist(), strict=True))
    ordered = sorted(code_of, key=code_of.__getitem__)
    lookup = np.full(max(code_of, default=-1) + 1, -1, dtype=np.int64)
    lookup[ordered] = np.arange(len(ordered))
    return lookup, np.array([code_of[i] for i in ordered], dtype=object)


# Each bound its own subquery: SQLite reads one end of the primary key for a lone min() or max()
# but scans the whole table for both in one select (0.6 s a call at 100,000 members).
SPAN = sa.select(
    sa.select(sa.func.min(Response.id)).scalar_subquery(),
    sa.select(sa.func.max(Response.id)).scalar_subquery(),
)


def _within(response_id: sa.ColumnElement[int], group_ids: list[int] | None) -> list:
    """For some groups, a range of response ids that holds all of theirs, when it is narrow:
    redundant with the group filter, but it lets the database read scores and answers by their
    primary key. For a thousand groups PostgreSQL planned a scan of the whole table instead,
    once per chunk of the daily refit, so the refit's reads grew with chunks x history. Ids
    follow time, and so do groups, so the range is about the groups' share; but a group that
    has met since the start (a slow-open group) stretches it over the whole history, and then
    the databases read every answer in it (SQLite 6 s for one critical item at 100,000 members,
    0.7 s reading from the groups' sessions), so a range over more than half is left out."""
    if group_ids is None:
        return []
    low, high = db.session.execute(
        sa.select(sa.func.min(Response.id), sa.func.max(Response.id))
        .join(GroupSession, Response.session_id == GroupSession.id)
        .where(among(GroupSession.group_id, group_ids))
    ).one()
    if low is None:
        return [sa.false()]
    first, last = db.session.execute(SPAN).one()
    if high - low > (last - first) / 2:
        return []
    return [response_id.between(low, high)]


def _sessions(where: list, group: sa.ColumnElement) -> pd.DataFrame:
    rows = _frame(
        sa.select(group, GroupSession.number, GroupSession.planned_start, GroupSession.status)
        .join(Group)
        .where(*where),
        ["group_id", "session_no", "start", "status"],
    )
    rows["date"] = _local_dates(rows["start"], current_app.config["TIMEZONE"])
    rows["held"] = rows["status"] == SessionStatus.HELD
    return rows[["group_id", "session_no", "date", "held"]]


def _local_dates(starts: pd.Series, timezone: str) -> pd.Series:
    """Naive UTC moments as the organisation's local calendar dates, all at once (a
    conversion per row took 12 s of a refit at 100,000 members)."""
    local = pd.to_datetime(starts).dt.tz_localize("UTC").dt.tz_convert(timezone)
    return local.dt.tz_localize(None).dt.normalize().astype("datetime64[s]")


def _attendance(where: list, keys: tuple[sa.ColumnElement, sa.ColumnElement]) -> pd.DataFrame:
    query = (
        sa.select(*keys, GroupSession.number, Attendance.status)
        .join(GroupSession, Attendance.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Attendance.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
        .where(*where)
    )
    return _plain_frame(query, ["group_id", "member_id", "session_no", "status"])


def response_rows(
    *columns: sa.ColumnElement, keys: tuple[sa.ColumnElement, sa.ColumnElement] = CODES
) -> sa.Select:
    """Responses as group_code, member_code (or the other `keys`), number (session),
    instrument_id, then `columns`."""
    return (
        sa.select(
            keys[0].label("group_code"),
            keys[1].label("member_code"),
            GroupSession.number,
            Response.instrument_id,
            *columns,
        )
        .select_from(Response)
        .join(GroupSession, Response.session_id == GroupSession.id)
        .join(Group, GroupSession.group_id == Group.id)
        .join(Membership, Response.membership_id == Membership.id)
        .join(Client, Membership.client_id == Client.id)
    )


def answer_rows(*columns: sa.ColumnElement) -> sa.Select:
    """Every answer with its response's codes and session, then item, value and `columns`."""
    return response_rows(Answer.item, Answer.value, *columns).join(
        Answer, Answer.response_id == Response.id
    )


def _scores(where: list, keys: tuple[sa.ColumnElement, sa.ColumnElement]) -> pd.DataFrame:
    query = (
        response_rows(Score.scale, Score.value, keys=keys)
        .join(Score, Score.response_id == Response.id)
        .where(Score.value.is_not(None), *where)
    )
    return _plain_frame(
        query, ["group_id", "member_id", "session_no", "instrument", "scale", "value"]
    )


def _critical(where: list, keys: tuple[sa.ColumnElement, sa.ColumnElement]) -> pd.DataFrame:
    columns = ["group_id", "member_id", "session_no", "instrument", "item", "value"]
    parts = []
    for instrument in library():
        for critical in instrument.critical_items:
            query = (
                response_rows(Answer.item, Answer.value, keys=keys)
                .join(Answer, Answer.response_id == Response.id)
                .where(
                    Response.instrument_id == instrument.id,
                    Answer.item == critical.item,
                    Answer.value.in_(sorted(critical.values)),
                    *where,
                )
            )
            parts.append(critical_frame(instrument, _frame(query, columns)))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def report_inputs(group_ids: list[int] | None = None) -> ReportInputs:
    return _report_inputs(*numbered_frames(group_ids), group_ids)


def growth_inputs(baseline_year: int) -> tuple[ReportInputs, ExpectedCourse]:
    """Every group's report frames, and the expected course as it could be fitted at the end
    of the baseline year (the reference that later years' intakes are held against)."""
    frames, names = numbered_frames()
    after_baseline = pd.Timestamp(date(baseline_year + 1, 1, 1))
    course = course_as_of(frames, after_baseline) if len(frames.sessions) else default_course()
    return _report_inputs(frames, names, None), course


def organisation_inputs(period: Period, baseline_year: int) -> ReportInputs:
    """The report frames an organisation-wide period needs: those of the groups that met in the
    period or in the baseline year, or had a flag raised in the period (a group can be flagged
    long after its last session), not the whole history. Every group and therapist keeps a line
    (the groups and therapists tables are whole), so the figures are those of
    `report_inputs()`; they cost what the period holds."""
    baseline = (date(baseline_year, 1, 1), date(baseline_year, 12, 31))
    met = sa.select(GroupSession.group_id).where(
        sa.or_(
            *(
                _on_days(GroupSession.planned_start, *days)
                for days in (baseline, (period.start, period.end))
            )
        )
    )
    flagged = sa.select(Flag.group_id).where(_on_days(Flag.raised_at, period.start, period.end))
    group_ids = sorted(set(db.session.scalars(met.union(flagged))))
    return _report_inputs(*numbered_frames(group_ids), group_ids, whole_tables=True)


def organisation_figures(
    period: Period, baseline_year: int, today: date
) -> tuple[OrganisationSummary, WaitingFigures]:
    """A period's organisation summary and waiting figures, read from its groups."""
    return period_figures(organisation_inputs(period, baseline_year), period, baseline_year, today)


def period_figures(
    inputs: ReportInputs, period: Period, baseline_year: int, today: date
) -> tuple[OrganisationSummary, WaitingFigures]:
    """A period's organisation summary (PHQ-9 outcomes) and waiting figures, from inputs that
    hold its groups: what the organisation report and the management dashboard show."""
    summary = organisation_summary(inputs, period, phq9_total(), baseline_year)
    return summary, waiting_inputs(inputs, period, today)


def _on_days(moment: sa.ColumnElement[datetime], first: date, last: date) -> sa.ColumnElement:
    """A stored moment (naive UTC) on one of the local days from `first` to `last`, and perhaps
    a day either side (whatever the time zone's offset)."""
    return moment.between(
        datetime.combine(first - timedelta(days=1), time()),
        datetime.combine(last + timedelta(days=2), time()),
    )


def among(column: sa.ColumnElement[int], ids: list[int]) -> sa.ColumnElement[bool]:
    """`column IN (ids)` with the ids written into the statement: tens of thousands of groups
    are more than the databases take as parameters (SQLite 32,766; psycopg 65,535)."""
    return column.in_(sa.bindparam(None, ids, expanding=True, literal_execute=True))


def _report_inputs(
    frames: Frames, names: KeyNames, group_ids: list[int] | None, whole_tables: bool = False
) -> ReportInputs:
    """What the reports read, keyed by code again (the panel is built on the numbered frames)."""
    where = [among(Group.id, group_ids)] if group_ids is not None else []
    listed = [] if whole_tables else where
    panel = course_panel(frames) if len(frames.sessions) else None
    groups, therapists = group_tables(listed)
    return ReportInputs(
        groups,
        therapists,
        names.named(frames.roster),
        names.named(frames.sessions),
        empty_panel() if panel is None else names.named(panel),
        _flag_rows(where),
        _briefings_opened(where),
        ReportInputs.no_endings() if panel is None else names.named(endings(frames, panel)),
    )


def group_tables(where: list | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The groups (code, name, kind, format) and who leads them (code, therapist's name): every
    group's, or those `where` chooses."""
    where = where or []
    groups = pd.DataFrame(
        db.session.execute(
            sa.select(Group.code, Group.name, Group.kind, Group.format).where(*where)
        ).all(),
        columns=[GROUP, "name", "kind", FORMAT],
    )
    groups["kind"] = groups["kind"].map(lambda k: k.value)
    groups[FORMAT] = groups[FORMAT].map(lambda f: f.value)
    therapists = pd.DataFrame(
        db.session.execute(
            sa.select(Group.code, StaffUser.name)
            .join(group_therapists, group_therapists.c.group_id == Group.id)
            .join(StaffUser, StaffUser.id == group_therapists.c.staff_id)
            .where(*where)
        ).all(),
        columns=[GROUP, "therapist"],
    )
    return groups, therapists


def waiting_inputs(inputs: ReportInputs, period: Period, today: date) -> WaitingFigures:
    """The waiting list and capacity figures of the period, from the database."""
    joined = (
        sa.select(GroupSession.planned_start)
        .where(
            GroupSession.group_id == Membership.group_id,
            GroupSession.number == Membership.joined_session,
        )
        .correlate(Membership)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(Referral.kind, Referral.referred_on, Referral.status, joined).outerjoin(
            Membership, Referral.placed_membership_id == Membership.id
        )
    ).all()
    referrals = pd.DataFrame(
        [
            (
                kind.value if kind else None,
                referred,
                status.value,
                _local_day(pd.Series([start]))[0] if start else pd.NaT,
            )
            for kind, referred, status, start in rows
        ],
        columns=["kind", "referred_on", "status", "first_session_date"],
    )
    groups = pd.DataFrame(
        db.session.execute(sa.select(Group.code, Group.intended_size)).all(),
        columns=[GROUP, "intended_size"],
    )
    return waiting_figures(referrals, groups, inputs.roster, inputs.sessions, period, today)


def _local_day(moments: pd.Series) -> pd.Series:
    timezone = current_app.config["TIMEZONE"]
    return pd.to_datetime(
        [None if pd.isna(m) else to_local(m.to_pydatetime(), timezone).date() for m in moments]
    )


def _briefings_opened(where: list) -> pd.DataFrame:
    """When each session's briefing (page or PDF) was first opened, read from the audit log."""
    rows = db.session.execute(
        sa.select(Group.code, GroupSession.number, sa.func.min(AuditEvent.at))
        .join(GroupSession, sa.cast(GroupSession.id, sa.String) == AuditEvent.subject_id)
        .join(Group, GroupSession.group_id == Group.id)
        .where(
            AuditEvent.action == "view",
            AuditEvent.subject_type.in_(("briefing", "briefing_pdf")),
            *where,
        )
        .group_by(Group.code, GroupSession.number)
    ).all()
    frame = pd.DataFrame(rows, columns=[GROUP, SESSION, "opened_at"])
    frame["opened_day"] = _local_day(pd.to_datetime(frame["opened_at"]))
    return frame[[GROUP, SESSION, "opened_day"]]


def _flag_rows(where: list) -> pd.DataFrame:
    rows = db.session.execute(
        sa.select(
            Group.code,
            Client.code,
            Flag.kind,
            Flag.severity,
            Flag.status,
            Flag.raised_session,
            Flag.raised_at,
            Flag.acknowledged_at,
            Flag.action,
        )
        .join(Group, Flag.group_id == Group.id)
        .outerjoin(Membership, Flag.membership_id == Membership.id)
        .outerjoin(Client, Membership.client_id == Client.id)
        .where(*where)
    ).all()
    columns = [GROUP, MEMBER, "kind", "severity", "status", "raised_session", "raised_at"]
    frame = pd.DataFrame(rows, columns=[*columns, "acknowledged_at", "action"])
    for column in ("kind", "severity", "status", "action"):
        frame[column] = frame[column].map(lambda v: getattr(v, "value", v))
    for column in ("raised_at", "acknowledged_at"):
        frame[column] = pd.to_datetime(frame[column])
    frame["acknowledged_day"] = _local_day(frame["acknowledged_at"])
    return frame

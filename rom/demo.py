"""The demo organisation: staff, groups of each kind and format, a history worth looking at."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app

from rom.analytics.replay import replay
from rom.audit import record
from rom.clock import organisation_today, session_start
from rom.extensions import db
from rom.frames import load_frames
from rom.instruments import library
from rom.links import link_to
from rom.models import (
    Attendance,
    Battery,
    Client,
    Flag,
    FlagAction,
    FlagKind,
    FlagStatus,
    Group,
    GroupSession,
    Invitation,
    LeaveReason,
    Membership,
    Referral,
    Response,
    Role,
    SessionStatus,
    Severity,
    StaffUser,
    VolumeSource,
    utcnow,
)
from rom.services.accounts import new_staff_user
from rom.services.batteries import default_battery
from rom.services.bundles import import_bundle
from rom.services.flagging import recompute_flags
from rom.services.individual_volumes import record_individual_volume
from rom.services.intake import store_intake
from rom.services.invitations import invite
from rom.services.waiting_list import Judgement, NewReferral, judge, refer
from rom.synthetic import Cohort, CohortSpec, generate
from rom.tokens import new_token

DEMO_PASSWORD = "kring-demo"
STAFF = (
    ("anna@demo.kring.nl", "Anna de Vries", Role.THERAPIST),
    ("bram@demo.kring.nl", "Bram Jansen", Role.THERAPIST),
    ("carla@demo.kring.nl", "Carla Bakker", Role.THERAPIST),
    ("mila@demo.kring.nl", "Mila Visser", Role.MANAGER),
    ("ad@demo.kring.nl", "Ad Smit", Role.ADMIN),
)
FIRST_NAMES = (
    "Sanne",
    "Daan",
    "Fleur",
    "Joris",
    "Noor",
    "Lars",
    "Eva",
    "Milan",
    "Iris",
    "Thijs",
    "Lotte",
    "Bas",
    "Femke",
    "Ruben",
    "Yara",
    "Sem",
    "Anouk",
    "Jesse",
    "Lieke",
    "Stijn",
)
# (kind, format, planned sessions, weeks since start or a start date, co-therapists by index
# into STAFF); the dated groups are two years of history, the baseline year and the next, so the
# organisation report and the management dashboard compare years: with the groups of the last
# months, each kind has ten or more measured episodes ending in each year, of both formats
GROUPS: tuple[tuple[str, str, int, int | date, tuple[int, int]], ...] = (
    ("psychotherapy", "closed", 20, date(2025, 1, 13), (0, 1)),
    ("psychoeducation", "closed", 12, date(2025, 2, 5), (1, 2)),
    ("skills", "closed", 16, date(2025, 3, 3), (2, 0)),
    ("skills", "slow_open", 36, date(2025, 3, 4), (2, 0)),
    ("psychotherapy", "closed", 12, date(2025, 8, 25), (0, 1)),
    ("psychoeducation", "closed", 12, date(2025, 9, 1), (1, 2)),
    ("psychotherapy", "closed", 12, date(2026, 1, 12), (0, 1)),
    ("psychoeducation", "closed", 12, date(2026, 2, 4), (1, 2)),
    ("skills", "closed", 16, date(2026, 3, 2), (2, 0)),
    ("psychotherapy", "closed", 20, 9, (0, 1)),  # session 10 is tomorrow
    ("skills", "slow_open", 36, 22, (0, 2)),
    ("psychoeducation", "closed", 12, 16, (1, 2)),  # finished a month ago
    ("psychotherapy", "slow_open", 36, 30, (1, 0)),
    ("skills", "closed", 16, 5, (2, 1)),
    ("psychoeducation", "slow_open", 36, 12, (2, 0)),
)
# the hours the groups meet, in order of GROUPS: a therapist's groups on one day spread over it,
# the slow-open groups (with places for the waiting list's morning people) before noon, the
# finished group in the evening
SESSION_TIMES = (
    time(9, 30),
    time(13, 30),
    time(13, 30),
    time(10, 0),
    time(13, 30),
    time(10, 0),
    time(9, 30),
    time(13, 30),
    time(13, 30),
    time(13, 30),
    time(8, 30),
    time(19, 0),
    time(10, 0),
    time(15, 30),
    time(11, 45),
)
# Until the growth path began, most referrals with severe complaints were treated individually:
# one joined a group with a chance falling from every one at an intake PHQ-9 of MODERATE to none
# at SEVERE, and a closed group filled its places with milder referrals. From
# SEVERE_IN_GROUPS_FROM the groups take them too: the intakes are more severe while the generator
# treats every member alike (the case mix the comparison of years adjusts for).
SEVERE_IN_GROUPS_FROM = date(2026, 1, 1)
MODERATE, SEVERE = 12.0, 20.0


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Group)) == 0


def demo_logins() -> list[str]:
    lines = [f"  {role.value:<9} {email:<22} password: {DEMO_PASSWORD}" for email, _, role in STAFF]
    return ["Demo logins (second factor switched off in the demo):", *lines]


def demo_links(count: int = 4) -> list[str]:
    """Fresh links to demo members' questionnaires before the coming sessions: from different
    groups, Dutch and English members, so the phone pages can be tried more than once.

    Only token hashes are stored, so the demo issues a new token for an open invitation each
    time; real members get theirs once, in their message.
    """
    chosen = _open_demo_invitations(count)
    if not chosen:
        return ["No open demo questionnaire left (all submitted)."]
    lines = ["Client questionnaire links (demo members, before their next session):"]
    for invitation in chosen:
        token, invitation.token_hash = new_token()
        client = invitation.membership.client
        group = invitation.membership.group
        link = link_to("clientflow.questionnaire", token=token)
        lines.append(f"  {group.name}, {client.language.value}: {link}")
    db.session.commit()
    lines.append("More fresh links: flask rom demo links")
    return lines


def _open_demo_invitations(count: int) -> list[Invitation]:
    """Open invitations of members of different groups, English members first where there are
    any (one link per group, the groups of the soonest sessions)."""
    sessions = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.status == SessionStatus.PLANNED)
        .order_by(GroupSession.planned_start)
    ).all()
    chosen: list[Invitation] = []
    seen_groups: set[int] = set()
    for session in sessions:
        if len(chosen) >= count:
            break
        if session.group_id in seen_groups:
            continue
        seen_groups.add(session.group_id)
        invitation = _open_invitation_in(session, prefer_english=len(chosen) % 2 == 1)
        if invitation is not None:
            chosen.append(invitation)
    return chosen


def _open_invitation_in(session: GroupSession, prefer_english: bool) -> Invitation | None:
    group = session.group
    members = db.session.scalars(
        sa.select(Membership)
        .join(Client, Membership.client_id == Client.id)
        .where(Membership.group_id == group.id, Membership.left_session.is_(None))
        .order_by(Client.language != ("en" if prefer_english else "nl"), Membership.id)
    )
    for membership in members:
        invitation = db.session.scalar(
            sa.select(Invitation).where(
                Invitation.membership_id == membership.id, Invitation.session_id == session.id
            )
        )
        if invitation is None:
            invitation, _ = invite(membership, session, group.battery)
            invitation.expires_at = session.planned_start + timedelta(days=2)
        if invitation.completed_at is None:
            return invitation
    return None


def create_demo(today: date | None = None) -> list[str]:
    """Build the demo in one go; returns the lines to print (logins)."""
    today = today or organisation_today()
    tomorrow = today + timedelta(days=1)
    layout = tuple(
        (
            kind,
            fmt,
            planned,
            start if isinstance(start, date) else tomorrow - timedelta(weeks=start),
        )
        for kind, fmt, planned, start, _ in GROUPS
    )
    # a second draw of each closed group of before the growth path, after all the real ones:
    # the referrals it filled its places from
    reserves = tuple(plan for plan in layout if _fills_places(plan[1], plan[3]))
    cohort = generate(CohortSpec(seed=2026, layout=layout + reserves, until=today))
    _place(cohort, len(layout))
    with tempfile.TemporaryDirectory() as folder:
        cohort.write(Path(folder))
        import_bundle(Path(folder))
    staff = [new_staff_user(email, name, role, DEMO_PASSWORD) for email, name, role in STAFF]
    db.session.add_all(staff)
    truth = {row["member_id"]: row for row in cohort.truth}
    groups = db.session.scalars(sa.select(Group).order_by(Group.code)).all()
    for group, (_, _, _, _, therapists), hour in zip(groups, GROUPS, SESSION_TIMES, strict=True):
        _furnish_group(
            group, [staff[i] for i in therapists], default_battery(group.kind), hour, today
        )
    _name_clients()
    _end_memberships(truth)
    db.session.commit()
    recompute_flags(today)
    _use_the_feedback()
    _add_topics(today)
    _add_waiting_list(today, staff[0])
    _enter_individual_volumes(next(s for s in staff if s.has_role(Role.MANAGER)))
    return demo_logins()


# the organisation's individual treatment contacts, as its manager entered them: flat while group
# treatment grows, so the group share rises
INDIVIDUAL_CONTACTS = {2025: 9800, 2026: 9650}


def _enter_individual_volumes(manager: StaffUser) -> None:
    for year, contacts in INDIVIDUAL_CONTACTS.items():
        record_individual_volume(year, contacts, manager, VolumeSource.FORM)
    db.session.commit()


def _fills_places(group_format: str, start: date) -> bool:
    return group_format == "closed" and start < SEVERE_IN_GROUPS_FROM


def _place(cohort: Cohort, groups: int) -> None:
    """Keep the first `groups` groups of the cohort, without the members who joined before
    SEVERE_IN_GROUPS_FROM and were, with severe complaints, treated individually (drawn by
    chance, seeded). A closed group of then takes placed members of its reserve (the groups
    after the first `groups`, in the same order) into its empty places."""
    rng = np.random.default_rng(SEVERE_IN_GROUPS_FROM.year)
    starts = {g["group_id"]: date.fromisoformat(g["start_date"]) for g in cohort.groups}
    joined = {
        m["member_id"]: starts[m["group_id"]] + timedelta(weeks=m["joined_session"] - 1)
        for m in cohort.members
    }
    placed = {
        fate["member_id"]
        for fate in cohort.truth
        if rng.random() < (SEVERE - fate["intake_severity"]) / (SEVERE - MODERATE)
        or joined[fate["member_id"]] >= SEVERE_IN_GROUPS_FROM
    }
    real, reserves = cohort.groups[:groups], cohort.groups[groups:]
    filling = [g for g in real if _fills_places(g["format"], starts[g["group_id"]])]
    moved = {}
    for group, reserve in zip(filling, reserves, strict=True):
        _fill_places(cohort, group["group_id"], reserve["group_id"], placed, moved)
    codes = {g["group_id"] for g in real}
    cohort.groups = real
    cohort.sessions = [s for s in cohort.sessions if s["group_id"] in codes]
    held = {(s["group_id"], s["session_no"]) for s in cohort.sessions if s["held"]}
    for name in ("members", "attendance", "responses", "truth"):
        rows = []
        for row in getattr(cohort, name):
            member = row["member_id"]
            if member in placed and (row["group_id"] in codes or member in moved):
                row["group_id"] = moved.get(member, row["group_id"])
                if "session_no" not in row or (row["group_id"], row["session_no"]) in held:
                    rows.append(row)
        setattr(cohort, name, rows)


def _fill_places(
    cohort: Cohort, group: str, reserve: str, placed: set[str], moved: dict[str, str]
) -> None:
    """The group's empty places to the reserve's placed members, in the order they came; it
    met when both draws held the session."""
    own = {m["member_id"] for m in cohort.members if m["group_id"] == group}
    waiting = [m["member_id"] for m in cohort.members if m["group_id"] == reserve]
    for member in [m for m in waiting if m in placed][: len(own - placed)]:
        moved[member] = group
    cancelled = {
        s["session_no"] for s in cohort.sessions if s["group_id"] == reserve and not s["held"]
    }
    for session in cohort.sessions:
        if session["group_id"] == group and session["session_no"] in cancelled:
            session["held"] = False


# (wished kind or None, language, days waiting, availability relative to the slow-open groups'
# weekday: "same" mornings, "other" a different day, "evening"; decision or None, contra-indication)
WAITING = (
    ("skills", "nl", 142, "same", "suitable", None),
    ("skills", "nl", 61, "same", "suitable", None),
    ("psychotherapy", "nl", 97, "same", "suitable", None),
    (None, "nl", 35, "same", "suitable", None),
    ("psychoeducation", "nl", 12, "same", "suitable", None),
    ("psychotherapy", "en", 44, "same", "suitable", None),
    ("skills", "nl", 201, "evening", "suitable", None),
    ("psychotherapy", "nl", 23, "other", "suitable", None),
    ("skills", "nl", 8, "same", None, None),
    ("psychotherapy", "nl", 5, "same", None, None),
    ("psychotherapy", "nl", 77, "same", "individual_first", None),
    ("skills", "nl", 50, "same", "not_suitable", "acute_psychosis"),
)
REFERRERS = ("Huisarts De Boer", "POH-GGZ Jansen", "Basis-GGZ Oost", "Huisarts Van Dijk")


def _add_waiting_list(today: date, assessor: StaffUser) -> None:
    """Referred clients waiting for a group: most judged suitable, some for the slow-open groups'
    day, one only in the evening, one not yet judged, one judged not suitable."""
    day = (today + timedelta(days=1)).weekday()
    slots = {
        "same": [f"{day}:morning", f"{(day + 2) % 7}:afternoon"],
        "other": [f"{(day + 3) % 7}:morning"],
        "evening": [f"{day}:evening", f"{(day + 1) % 7}:evening"],
    }
    for n, (kind, language, waited, when, decision, contra) in enumerate(WAITING, start=1):
        referral = refer(
            NewReferral(
                code=f"W{today.year}{n:03d}",
                first_name=FIRST_NAMES[(n * 7) % len(FIRST_NAMES)],
                email=f"aangemeld{n}@example.org",
                phone=None,
                language=language,
                kind=kind,
                availability=slots[when],
                referrer=REFERRERS[n % len(REFERRERS)],
                referred_on=today - timedelta(days=waited),
                notes="Aangemeld voor groepsbehandeling." if n % 3 else None,
            ),
            today,
        )
        if n <= 10:  # the last two have not answered the intake questionnaire yet
            _answer_intake(referral, n, today)
        if decision:
            judge(
                referral,
                Judgement(
                    factors={
                        "motivation": "sufficient",
                        "reflection": "doubtful" if n % 4 == 0 else "sufficient",
                        "social_functioning": "doubtful" if n % 2 else "sufficient",
                        "language_and_cognition": "sufficient",
                    },
                    decision=decision,
                    reason=DEMO_REASONS[decision],
                    contra_indications=[contra] if contra else [],
                ),
                assessor,
            )
    db.session.commit()


def _answer_intake(referral: Referral, n: int, today: date) -> None:
    """Intake answers as the phone would store them: symptoms of varying severity, readiness
    from hesitant to keen."""
    phq = {item: (n + item) % 4 if item < 9 else 0 for item in range(1, 10)}
    gad = {item: (n * 2 + item) % 4 for item in range(1, 8)}
    keen = 1 + n % 4  # 1..4
    readiness = {item: keen if item != 6 else 4 - keen for item in range(1, 10)}
    moment = datetime.combine(today - timedelta(days=3), time(20, 0))
    store_intake(referral, {"phq9": phq, "gad7": gad, "readiness": readiness}, library(), moment)


DEMO_REASONS = {
    "suitable": "Gemotiveerd, kan reflecteren; de groep sluit aan bij de hulpvraag.",
    "individual_first": "Eerst individueel stabiliseren; over drie maanden opnieuw bekijken.",
    "not_suitable": "Acute psychotische klachten: nu geen groepsbehandeling.",
}


DEMO_TOPICS = (
    "Ik merk dat ik me terugtrek als iemand boos wordt; daar wil ik het over hebben.",
    "Hoe ga ik om met de feestdagen en mijn familie?",
    "Ik wil iets terugzeggen over wat vorige week gebeurde.",
)


def _add_topics(today: date) -> None:
    """The group meeting tomorrow with the most open flags asks for topics; a few members of
    its last session named one (a completed link carrying the topic, as the phone page stores
    it)."""
    tomorrow = today + timedelta(days=1)
    open_flags = (
        sa.select(sa.func.count(Flag.id))
        .where(Flag.group_id == GroupSession.group_id, Flag.status == FlagStatus.OPEN)
        .scalar_subquery()
    )
    sessions = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.status == SessionStatus.PLANNED)
        .order_by(open_flags.desc(), GroupSession.planned_start)
    ).all()
    meeting_tomorrow = [s for s in sessions if s.planned_start.date() == tomorrow]
    if not meeting_tomorrow:
        return
    session = meeting_tomorrow[0]
    group = session.group
    group.ask_topic = True
    last = db.session.scalar(
        sa.select(GroupSession).where(
            GroupSession.group_id == group.id, GroupSession.number == session.number - 1
        )
    )
    answered = db.session.scalars(
        sa.select(Response.membership_id)
        .where(Response.session_id == last.id)
        .distinct()
        .order_by(Response.membership_id)
    ).all()
    for membership_id, topic in zip(answered[1::3], DEMO_TOPICS, strict=False):
        invitation, _token = invite(db.session.get(Membership, membership_id), last, group.battery)
        invitation.instrument_ids = []
        invitation.completed_at = last.planned_start + timedelta(hours=4)
        invitation.expires_at = last.planned_start + timedelta(days=2)
        invitation.topic = topic
    db.session.commit()


def _furnish_group(
    group: Group, therapists: list[StaffUser], battery: Battery, hour: time, today: date
) -> None:
    group.therapists = therapists
    group.battery = battery
    group.weekday = group.start_date.weekday()
    group.start_time = hour
    group.member_feedback = True
    timezone = current_app.config["TIMEZONE"]
    sessions = db.session.scalars(sa.select(GroupSession).where(GroupSession.group_id == group.id))
    known = {}
    for session in sessions:
        day = group.start_date + timedelta(weeks=session.number - 1)
        session.planned_start = session_start(day, hour, timezone)
        known[session.number] = session
    for number in range(1, group.planned_sessions + 1):
        day = group.start_date + timedelta(weeks=number - 1)
        if number not in known and day > today:
            db.session.add(
                GroupSession(
                    group_id=group.id,
                    number=number,
                    planned_start=session_start(day, hour, timezone),
                    status=SessionStatus.PLANNED,
                )
            )


def _name_clients() -> None:
    for index, client in enumerate(db.session.scalars(sa.select(Client).order_by(Client.code))):
        client.first_name = FIRST_NAMES[index % len(FIRST_NAMES)]
        client.email = f"deelnemer{index + 1}@example.org"


def _end_memberships(truth: dict[str, dict]) -> None:
    """Dropouts left at their dropout session; members of finished courses completed."""
    rows = db.session.execute(sa.select(Membership, Client.code).join(Client)).all()
    for membership, code in rows:
        fate = truth[code]
        if fate["outcome"] == "dropped_out":
            membership.left_session = int(fate["dropout_session"])
            membership.leave_reason = LeaveReason.DROPPED_OUT
        elif fate["outcome"] == "completed":
            last = _last_session_seen(membership)
            membership.left_session = last
            membership.leave_reason = LeaveReason.COMPLETED


def _last_session_seen(membership: Membership) -> int:
    number = db.session.scalar(
        sa.select(sa.func.max(GroupSession.number))
        .join(Attendance, Attendance.session_id == GroupSession.id)
        .where(Attendance.membership_id == membership.id)
    )
    return number or membership.joined_session


# what the therapists did about a flag of each kind, in the demo's history
DEMO_ACTIONS = {
    "critical_item": FlagAction.CONTACT,
    "deterioration": FlagAction.STEP_UP,
    "not_on_track": FlagAction.DISCUSSED_ONE_TO_ONE,
    "dropout_risk": FlagAction.CONTACT,
    "recovered": FlagAction.STEP_DOWN,
}


def _use_the_feedback() -> None:
    """Therapists who use the feedback: most briefings opened on the day before the session, and
    the member flags of earlier weeks (their episodes ended since) acted on, most of them before
    the group met again, some later, a few never."""
    held = db.session.scalars(
        sa.select(GroupSession)
        .where(GroupSession.status == SessionStatus.HELD)
        .order_by(GroupSession.group_id, GroupSession.number)
    ).all()
    for n, session in enumerate(held):
        if n % 6 != 5:
            opener = session.group.therapists[n % len(session.group.therapists)]
            event = record(opener, "view", "briefing", session.id, group=session.group_id)
            event.at = session.planned_start - timedelta(hours=20)
    starts = {(s.group.code, s.number): s.planned_start for s in held}
    last = {s.group.code: s.number for s in held}
    for n, (group, member, kind, first, end, row) in enumerate(_ended_episodes(last)):
        raised = starts[(group, first)] + timedelta(hours=6)
        done = min(raised + timedelta(days=1 + n % 3 if n % 5 else 9), utcnow())
        flag = Flag(
            group_id=db.session.scalar(sa.select(Group.id).where(Group.code == group)),
            membership_id=_membership_id(group, member),
            kind=FlagKind(kind),
            severity=Severity(row.severity),
            reasons=json.loads(json.dumps(row.reasons, default=lambda v: v.item())),
            suggested_action=row.action,
            raised_session=first,
            last_session=end,
            raised_at=raised,
            status=FlagStatus.RESOLVED,
            resolved_at=starts.get((group, end + 1), raised) + timedelta(hours=6),
        )
        if n % 7 != 6:
            flag.action = DEMO_ACTIONS[kind]
            flag.acknowledged_at = done
            flag.acknowledged_by = db.session.get(Group, flag.group_id).therapists[0]
        db.session.add(flag)
    db.session.commit()


def _ended_episodes(last: dict[str, int]) -> Iterator[tuple]:
    """Member flags of the replayed history whose run of sessions ended before the group's
    latest session: (group, member, kind, first session, last session, first row)."""
    flags = replay(load_frames()).flags.dropna(subset=["member_id"])
    flags = flags[flags["kind"].isin(list(DEMO_ACTIONS))].sort_values("session_no")
    for (group, member, kind), rows in flags.groupby(["group_id", "member_id", "kind"]):
        sessions = rows["session_no"].astype(int).tolist()
        breaks = [0, *[i for i in range(1, len(sessions)) if sessions[i] != sessions[i - 1] + 1]]
        for start, stop in zip(breaks, [*breaks[1:], len(sessions)], strict=True):
            if sessions[stop - 1] < last.get(group, 0):
                row = rows.iloc[start]
                yield group, member, kind, sessions[start], sessions[stop - 1], row


def _membership_id(group_code: str, client_code: str) -> int | None:
    return db.session.scalar(
        sa.select(Membership.id)
        .join(Group, Membership.group_id == Group.id)
        .join(Client, Membership.client_id == Client.id)
        .where(Group.code == group_code, Client.code == client_code)
    )

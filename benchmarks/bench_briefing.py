"""The briefing of a group of 12 members with 40 sessions behind it, in a database of 10,000
members: the page (target under 300 ms server time) and the one-page PDF (target under 2 s).

The other groups are written in bulk (PHQ-9 and cohesion scores, attendance); the measured group
goes through the real paths: invitations, answers scored on submit, attendance, flags, topics."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock

from benchmarks.data import advance_id_sequences, fresh_app

FILLER_GROUPS = 850
GROUP_SIZE = 12
FILLER_SESSIONS = 20
MEASURED_SESSIONS = 40
REPEATS = 7
PASSWORD = "correct horse battery"


def run() -> None:
    app = fresh_app()
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        started = time.perf_counter()
        members = _fill()
        session_id = _measured_group()
        print(
            f"database: {members:,} members in {FILLER_GROUPS + 1} groups, built in "
            f"{time.perf_counter() - started:.0f} s"
        )
        client = app.test_client()
        client.post("/staff/login", data={"email": "anna@bench.test", "password": PASSWORD})
        for name, path, target in (
            ("page", f"/staff/sessions/{session_id}/briefing", 0.3),
            ("PDF", f"/staff/sessions/{session_id}/briefing.pdf", 2.0),
        ):
            times = []
            for _ in range(REPEATS):
                begun = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - begun)
                assert response.status_code == 200, response.status_code
            if name == "page":  # the briefing measured is a full one
                text = response.get_data(as_text=True)
                assert "Kritiek antwoord" in text
                assert "<svg" in text
            print(
                f"briefing {name}: median {statistics.median(times) * 1000:.0f} ms, first "
                f"{times[0] * 1000:.0f} ms (target < {target * 1000:.0f} ms), "
                f"{len(response.data):,} bytes"
            )


def _fill() -> int:
    """Other groups, written in bulk: members, held sessions, attendance, PHQ-9 and cohesion."""
    import numpy as np
    import sqlalchemy as sa

    from rom.extensions import db
    from rom.models import (
        Attendance,
        AttendanceStatus,
        Client,
        Group,
        GroupFormat,
        GroupKind,
        GroupSession,
        Membership,
        Response,
        ResponseSource,
        Score,
        SessionStatus,
    )

    rng = np.random.default_rng(11)
    start = datetime(2025, 1, 6, 9, 0)
    groups, clients, memberships, sessions = [], [], [], []
    attendance, responses, scores = [], [], []
    member_id = session_id = response_id = 0
    for g in range(1, FILLER_GROUPS + 1):
        first = start + timedelta(days=int(g % 500))
        groups.append(
            {
                "id": g,
                "code": f"F{g:04d}",
                "name": f"Groep {g}",
                "kind": GroupKind.SKILLS,
                "format": GroupFormat.CLOSED,
                "planned_sessions": FILLER_SESSIONS,
                "start_date": first.date(),
                "weekday": first.weekday(),
                "start_time": clock(9, 0),
            }
        )
        ids = []
        for _ in range(GROUP_SIZE):
            member_id += 1
            clients.append({"id": member_id, "code": f"C{member_id:05d}", "first_name": "Lid"})
            memberships.append({"id": member_id, "client_id": member_id, "group_id": g})
            ids.append(member_id)
        intake = rng.integers(8, 24, size=GROUP_SIZE)
        for n in range(1, FILLER_SESSIONS + 1):
            session_id += 1
            moment = first + timedelta(weeks=n - 1)
            sessions.append(
                {
                    "id": session_id,
                    "group_id": g,
                    "number": n,
                    "planned_start": moment,
                    "status": SessionStatus.HELD,
                }
            )
            for k, m in enumerate(ids):
                attendance.append(
                    {
                        "session_id": session_id,
                        "membership_id": m,
                        "status": AttendanceStatus.PRESENT,
                    }
                )
                phq = float(max(0, intake[k] - n // 3 + rng.integers(-2, 3)))
                for instrument, scale, value in (
                    ("phq9", "total", phq),
                    ("gcs", "cohesion", float(rng.integers(2, 6))),
                ):
                    response_id += 1
                    responses.append(
                        {
                            "id": response_id,
                            "membership_id": m,
                            "session_id": session_id,
                            "instrument_id": instrument,
                            "instrument_version": "1",
                            "completed_at": moment,
                            "source": ResponseSource.IMPORT,
                        }
                    )
                    scores.append(
                        {
                            "response_id": response_id,
                            "scale": scale,
                            "raw": value,
                            "value": value,
                            "items_missing": 0,
                        }
                    )
    for model, rows in (
        (Group, groups),
        (Client, clients),
        (Membership, memberships),
        (GroupSession, sessions),
        (Attendance, attendance),
        (Response, responses),
        (Score, scores),
    ):
        for chunk in range(0, len(rows), 50_000):
            db.session.execute(sa.insert(model), rows[chunk : chunk + 50_000])
    db.session.commit()
    advance_id_sequences()
    return member_id + GROUP_SIZE


def _measured_group() -> int:
    """A slow-open group of 12 with 40 held sessions and the 41st tomorrow, answered through
    the real submit path; returns the id of tomorrow's session."""
    import numpy as np

    from rom.extensions import db
    from rom.instruments import library
    from rom.models import (
        AttendanceStatus,
        Client,
        Flag,
        FlagKind,
        Group,
        GroupSession,
        Membership,
        Role,
        Severity,
        utcnow,
    )
    from rom.services.accounts import new_staff_user
    from rom.services.attendance import record_attendance
    from rom.services.batteries import default_battery
    from rom.services.invitations import invite, open_link
    from rom.services.submissions import submit

    rng = np.random.default_rng(3)
    anna = new_staff_user("anna@bench.test", "Anna", Role.THERAPIST, PASSWORD)
    tomorrow = utcnow().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    first = tomorrow - timedelta(weeks=MEASURED_SESSIONS)
    group = Group(
        code="MEASURED",
        name="Interpersoonlijke groep",
        kind="psychotherapy",
        format="slow_open",
        planned_sessions=60,
        start_date=first.date(),
        weekday=first.weekday(),
        start_time=clock(9, 0),
        ask_topic=True,
    )
    group.therapists = [anna]
    group.battery = default_battery(group.kind)
    db.session.add(group)
    members = [
        Membership(client=Client(code=f"B{n:02d}", first_name=f"Lid {n}"), group=group)
        for n in range(GROUP_SIZE)
    ]
    db.session.add_all(members)
    sessions = [
        GroupSession(group=group, number=n, planned_start=first + timedelta(weeks=n - 1))
        for n in range(1, MEASURED_SESSIONS + 2)
    ]
    db.session.add_all(sessions)
    db.session.flush()
    for session in sessions[:-1]:
        statuses = {}
        for k, member in enumerate(members):
            absent = rng.random() < 0.12
            statuses[member.id] = AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT
            if rng.random() < 0.15:
                continue
            invitation, token = invite(member, session, group.battery)
            invitation.draft = {
                i: {
                    str(item.number): int(rng.choice(sorted(item.values)))
                    if (i, item.number) != ("phq9", 9)
                    else 0
                    for item in library()[i].items
                }
                for i in invitation.instrument_ids
            }
            if session.number == MEASURED_SESSIONS and k % 4 == 0:
                invitation.topic = "Hoe ga ik om met kritiek van anderen?"
            db.session.flush()
            moment = session.planned_start - timedelta(hours=2)
            submit(open_link(token, now=moment), library(), now=moment)
        record_attendance(session, statuses, now=session.planned_start)
    for k, (kind, severity) in enumerate(
        (
            (FlagKind.CRITICAL_ITEM, Severity.CRITICAL),
            (FlagKind.DETERIORATION, Severity.HIGH),
            (FlagKind.NOT_ON_TRACK, Severity.HIGH),
            (FlagKind.DROPOUT_RISK, Severity.MEDIUM),
            (FlagKind.DROPOUT_RISK, Severity.MEDIUM),
            (FlagKind.RECOVERED, Severity.LOW),
        )
    ):
        db.session.add(
            Flag(
                group_id=group.id,
                membership_id=members[k].id,
                kind=kind,
                severity=severity,
                reasons=[{"code": "dropout_absent_now"}],
                suggested_action="contact",
                raised_session=MEASURED_SESSIONS - k % 3,
                last_session=MEASURED_SESSIONS,
            )
        )
    db.session.commit()
    return sessions[-1].id

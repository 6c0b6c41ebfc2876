"""The API against the 10,000-member database of bench_dashboards: attendance for a session of
about 10 members, and the open flags of a therapist's 6 groups (targets: median under 50 ms
server time each); prints requests per second, median and p95."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

from benchmarks.bench_dashboards import _app

RUNS = 200


def _measure(call) -> list[float]:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = call()
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (response.status_code, response.get_data()[:300])
    return sorted(timings)


def _report(name: str, timings: list[float]) -> None:
    median = statistics.median(timings) * 1000
    p95 = timings[int(len(timings) * 0.95)] * 1000
    print(
        f"{name}: {len(timings) / sum(timings):.0f} requests/s, median {median:.1f} ms, "
        f"p95 {p95:.1f} ms (target median < 50 ms)"
    )


def run() -> None:
    app = _app()
    app.config["API_RATE_LIMIT"] = "1000000 per minute"
    with app.app_context():
        import sqlalchemy as sa

        from rom.extensions import db
        from rom.models import (
            ORGANISATION_SCOPES,
            SCOPES,
            Attendance,
            Client,
            Flag,
            Group,
            GroupSession,
            Membership,
            utcnow,
        )
        from rom.services.api_tokens import create_token
        from rom.services.flagging import recompute_flags

        if db.session.scalar(sa.select(sa.func.count()).select_from(Flag)) == 0:
            started = time.perf_counter()
            recompute_flags()
            db.session.commit()
            print(f"flags computed once for the database: {time.perf_counter() - started:.1f} s")

        groups = list(db.session.scalars(sa.select(Group.id).order_by(Group.code).limit(6)))
        group_scopes = sorted(set(SCOPES) - ORGANISATION_SCOPES)  # a group-limited token
        token = create_token("bench", group_scopes, utcnow() + timedelta(days=1), groups).secret
        session = db.session.scalars(
            sa.select(GroupSession)
            .join(Attendance, Attendance.session_id == GroupSession.id)
            .where(GroupSession.group_id.in_(groups))
            .group_by(GroupSession.id)
            .having(sa.func.count() >= 10)
            .order_by(GroupSession.id)
        ).first()
        session_id = session.id
        members = db.session.scalars(
            sa.select(Client.code)
            .join(Membership, Membership.client_id == Client.id)
            .join(Attendance, Attendance.membership_id == Membership.id)
            .where(Attendance.session_id == session_id)
        ).all()
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    body = {"attendance": [{"member": m, "status": "present"} for m in members]}
    client = app.test_client()
    print(f"session of {len(members)} members; flags of {len(groups)} groups", flush=True)
    _report(
        "attendance for a whole session (PUT)",
        _measure(
            lambda: client.put(
                f"/api/v1/sessions/{session_id}/attendance", json=body, headers=headers
            )
        ),
    )
    listed = len(client.get("/api/v1/flags", headers=headers).get_json()["items"])
    _report(
        f"open flags of 6 groups, {listed} flags (GET)",
        _measure(lambda: client.get("/api/v1/flags", headers=headers)),
    )

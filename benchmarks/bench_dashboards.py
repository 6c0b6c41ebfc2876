"""Dashboard callbacks against a database of about 10,000 members: the group dashboard of a
group of about 10 members over 40 sessions (target under 300 ms server time for all its
callbacks) and the caseload of a therapist with 6 groups (under 500 ms). The database is built
once (imported from a synthetic cohort, a few minutes) and kept: in the temp folder, or as the
database kring_bench_dashboards_v1 on the PostgreSQL server of ROM_DATABASE_URL."""

from __future__ import annotations

import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.data import existing_database, new_database, on_postgresql

GROUPS = 1300
DATABASE = Path(tempfile.gettempdir()) / "kring-bench-dashboards-v1.sqlite3"
PASSWORD = "bench password 123"


def _layout() -> tuple:
    first = date(2025, 1, 6)
    big = tuple(("psychotherapy", "slow_open", 40, first + timedelta(weeks=n)) for n in range(6))
    rest = tuple(
        ("skills", "closed", 16, first + timedelta(days=(n * 3) % 600))
        for n in range(GROUPS - len(big))
    )
    return big + rest


def _build(app) -> None:
    from rom.extensions import db
    from rom.models import Group, Role
    from rom.services.accounts import new_staff_user
    from rom.services.bundles import import_bundle
    from rom.synthetic import CohortSpec, generate

    folder = Path(tempfile.mkdtemp(prefix="kring-dash-"))
    generate(CohortSpec(seed=9, layout=_layout(), until=date(2026, 11, 1))).write(folder)
    with app.app_context():
        started = time.perf_counter()
        import_bundle(folder)
        print(f"built the database once: {time.perf_counter() - started:.0f} s", flush=True)
        therapist = new_staff_user("bench@kring.test", "Bench", Role.THERAPIST, PASSWORD)
        db.session.add(therapist)
        for group in db.session.query(Group).order_by(Group.code).limit(6):
            group.therapists = [therapist]
        db.session.commit()


def _database() -> tuple[str, bool]:
    """The dashboards' database, built once and kept between runs, and whether it is new."""
    if on_postgresql():
        fresh = not existing_database(DATABASE.stem.replace("-", "_"))
        return new_database(DATABASE.stem.replace("-", "_")), fresh
    return f"sqlite:///{DATABASE}", not DATABASE.exists()


def _app():
    from flask_migrate import upgrade

    from rom import create_app, settle_web_worker

    url, fresh = _database()
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        upgrade()
    if fresh:
        _build(app)
    settle_web_worker()  # as wsgi.py does for each web worker
    return app


def _post(client, path: str, body: dict) -> float:
    started = time.perf_counter()
    response = client.post(
        f"{path}_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return elapsed


def _body(outputs: list[tuple[str, str]], inputs: list[tuple[str, str, object]]) -> dict:
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
        "state": [],
    }


def run() -> None:
    app = _app()
    with app.app_context():
        import sqlalchemy as sa

        from rom.extensions import db
        from rom.models import Client, Group, Membership

        members = db.session.scalar(sa.select(sa.func.count()).select_from(Client))
        group = db.session.scalars(
            sa.select(Group).where(Group.planned_sessions == 40).order_by(Group.code)
        ).first()
        group_id = group.id
        size = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.group_id == group.id)
        )
        from rom.services.courses import refit_expected_course
        from rom.transactions import committed

        started = time.perf_counter()
        with committed():
            fit = refit_expected_course()
        print(
            f"refit of the expected course (the scheduler's daily job, not a request): "
            f"{time.perf_counter() - started:.1f} s on {fit.closed_cases:,} closed cases",
            flush=True,
        )
    client = app.test_client()
    client.post("/staff/login", data={"email": "bench@kring.test", "password": PASSWORD})
    group_calls = [
        _body(
            [("group-select", "options"), ("group-select", "value")], [("group-url", "search", "")]
        ),
        _body(
            [
                ("member-select", "options"),
                ("group-trajectories", "figure"),
                ("group-overview", "figure"),
                ("group-climate", "figure"),
                ("group-rates", "figure"),
                ("group-flags", "children"),
                ("group-report", "href"),
            ],
            [("group-select", "value", group_id), ("member-select", "value", None)],
        ),
    ]
    caseload = _body(
        [
            ("caseload-groups", "children"),
            ("caseload-chart", "figure"),
            ("caseload-todo", "children"),
        ],
        [("caseload-url", "pathname", "/dash/caseload/")],
    )
    cold = sum(_post(client, "/dash/group/", body) for body in group_calls)
    print(
        f"{members:,} members in the database; group of {size} members, 40 sessions; first "
        f"call (reads the stored course): {cold * 1000:.0f} ms",
        flush=True,
    )
    runs = sorted(sum(_post(client, "/dash/group/", b) for b in group_calls) for _ in range(5))
    print(f"group dashboard, all callbacks: median {runs[2] * 1000:.0f} ms (target < 300 ms)")
    runs = sorted(_post(client, "/dash/caseload/", caseload) for _ in range(5))
    print(f"caseload dashboard, 6 groups: median {runs[2] * 1000:.0f} ms (target < 500 ms)")

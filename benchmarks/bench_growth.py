"""Growth curves (#28): how each cost grows with the organisation, at 10k, 30k and 100k members.

The cohort of each size is closed psychotherapy groups of 20 sessions (every instrument), plus
six slow-open groups of about 40 held sessions that come first in the layout: the generator
draws them first, so they are the same at every size. A therapist leads those six; they are
what the dashboards, the briefing and the API are asked about, so only the rest grows.

Each size is generated once (rom/synthetic.py, a few hundred groups at a time) and kept as
bundle files under KRING_BENCH_CACHE (default ~/.cache/kring-bench/growth-v1-<size>/), then
loaded once into a kept database: a SQLite file beside the bundle, or the database
kring_bench_growth_v1_<size> on the PostgreSQL server of ROM_DATABASE_URL. Sizes up to
KRING_GROWTH_IMPORT_MAX (default 10000) are loaded by the product's import_bundle, timed, the
figure kept beside the database; larger ones by bulk_load below (the import holds the whole
bundle in memory: 8 GB at 10,000 members), which writes the same rows with the same ids.
KRING_GROWTH_REBUILD=1 builds the databases again. Each size is built in a fresh process of
its own, then measured in two more: the batch costs in one, the requests in another, which is
what a web worker is (it freezes its start-up objects as wsgi.py does), so one size's memory
and caches do not leak into the next and the requests' peak memory is a worker's.

Batch costs (seconds to minutes) count the best of KRING_GROWTH_REPEATS runs (default 2: the
machine is shared, and noise only adds time); requests the median of 5 after a cold one.
Printed per cost: the time at each size, the growth (time at the largest size over time at
the smallest, in wall-clock and in this process's CPU time), the SQL statements of one run and
the process's peak memory while it ran. A step that grew more than 10 % faster than the
members did is marked "!": a suspect to profile. The recompute is also run once more in a process
of its own, as the scheduler runs it, while the measuring process posts the group and caseload
dashboard callbacks in turn: its time (target at 100k on PostgreSQL: < 5 min) and the callbacks'
p50 and p95 while it ran (target: p95 < 500 ms). Sizes: KRING_GROWTH_SIZES (default
"10000,30000,100000"). A first run at all three sizes takes about two hours on this machine
(100,000 members: 19 min to generate, 18 min to load, 23 min to measure); later runs reuse
what is kept. On PostgreSQL, where bulk_load writes by COPY, 100,000 members took 29 min to load
and 36 min to measure (2026-12-07, the machine shared with other work).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import multiprocessing
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks import bench_api
from benchmarks.bench_dashboards import _body, _post
from benchmarks.bench_signals import _peak_megabytes
from benchmarks.data import (
    advance_id_sequences,
    drop_database,
    existing_database,
    new_database,
    on_postgresql,
)

VERSION = "v1"
DEFAULT_SIZES = "10000,30000,100000"
SEED = 28
UNTIL = date(2026, 11, 1)  # the last day with data: everything after it has not happened yet
FIRST_START = date(2025, 1, 6)
START_SPREAD_DAYS = 660  # closed groups start over this many days from FIRST_START
MEASURED_GROUPS = 6
MEASURED_START = date(2026, 2, 2)  # the first measured group; the others a week earlier each
NEW_GROUP_START = date(2026, 6, 1)  # the one-group bundle imported into each size
MEMBERS_PER_GROUP = 7.5  # a closed group of the generator has 6 to 9 members
FLUSH_GROUPS = 500  # the generator's answers are written to disk every this many groups
LOAD_CHUNK = 100_000  # rows an executemany writes when loading without import (SQLite)
READ_CHUNK = 2_000_000  # rows of responses.csv read at a time when loading without import
PASSWORD = "growth bench password 1"
REPEATS = 5  # requests: the median of this many, after a first (cold) one
YEAR = (date(2025, 11, 1), date(2026, 10, 31))  # the organisation report's period
DASHBOARDS = ("/dash/group/", "/dash/caseload/")  # posted in turn during the loaded recompute
RECOMPUTE_TARGET = 300.0  # seconds: the hourly recompute at 100k members on PostgreSQL
CALLBACK_P95_TARGET = 0.5  # seconds: the dashboards' callbacks while it runs

COSTS = (
    ("import", "import of the bundle (once, when built)"),
    ("import_group", "import a new one-group bundle (rolled back)"),
    ("load", "load frames from the database"),
    ("current", "current flags (on those frames)"),
    ("replay", "full replay (on those frames)"),
    ("refit", "daily refit of the expected course (job)"),
    ("recompute", "recompute and store flags (job)"),
    ("group", "group dashboard callback, median"),
    ("caseload", "caseload dashboard callback, median"),
    ("under_load", "recompute and store flags (own process), dashboards calling"),
    ("under_load_p50", "  dashboard callbacks during it, p50"),
    ("under_load_p95", "  dashboard callbacks during it, p95"),
    ("organisation", "organisation report, one year (PDF, as the scheduler prepares it)"),
    ("briefing", "briefing page, median"),
    ("api_flags", "API open flags of 6 groups, median"),
)


@dataclass
class Figure:
    seconds: float  # wall-clock
    statements: float  # SQL statements one run of it sent
    cpu: float | None = None  # this process's CPU seconds
    peak_mb: float | None = None  # this process's peak resident memory while it ran


@dataclass
class Built:
    """What building a size's database found; kept beside the database as JSON."""

    members: int
    answers: int
    loaded_by: str  # "import" (import_bundle, timed) or "bulk load" (bulk_load)
    load: Figure
    load_peak_mb: float
    built_on: str
    generated_seconds: float | None = None  # None: the bundle came from the cache


# ---------------------------------------------------------------- where a size is kept


def sizes() -> list[int]:
    return [int(s) for s in os.environ.get("KRING_GROWTH_SIZES", DEFAULT_SIZES).split(",") if s]


def cache_root() -> Path:
    default = Path.home() / ".cache" / "kring-bench"
    return Path(os.environ.get("KRING_BENCH_CACHE", default)).expanduser()


def size_folder(size: int) -> Path:
    return cache_root() / f"growth-{VERSION}-{size}"


def database_name(size: int) -> str:
    return f"kring_bench_growth_{VERSION}_{size}"


def _sidecar(size: int) -> Path:
    """Where the built database's figures are kept: one file per backend (and server)."""
    if not on_postgresql():
        return size_folder(size) / "sqlite.json"
    server = sa.make_url(os.environ["ROM_DATABASE_URL"])
    return size_folder(size) / f"postgresql-{server.host}-{server.port or 5432}.json"


def _database_url(size: int) -> str:
    if on_postgresql():
        return new_database(database_name(size))
    return f"sqlite:///{size_folder(size) / 'kring.sqlite3'}"


# ---------------------------------------------------------------- the cohort and its bundle


def layout(size: int) -> tuple[tuple[str, str, int, date], ...]:
    """Six measured slow-open groups first, then closed 20-session groups for the rest."""
    measured = tuple(
        ("psychotherapy", "slow_open", 60, MEASURED_START - timedelta(weeks=n))
        for n in range(MEASURED_GROUPS)
    )
    rest = round(size / MEMBERS_PER_GROUP) - MEASURED_GROUPS * 3  # a measured group is ~3x
    closed = tuple(
        ("psychotherapy", "closed", 20, FIRST_START + timedelta(days=(n * 3) % START_SPREAD_DAYS))
        for n in range(rest)
    )
    return measured + closed


def measured_codes() -> list[str]:
    """The codes the generator gives the first groups of the layout."""
    return [f"G{SEED:03d}{number:04d}" for number in range(1, MEASURED_GROUPS + 1)]


def write_cohort(size: int, folder: Path) -> None:
    """The bundle of rom.synthetic.generate(...).write(folder), written a few hundred groups at
    a time: the whole cohort as Python rows does not fit in memory at 100,000 members. Same
    generator, same random stream, so the same files."""
    import numpy as np

    from rom.synthetic import Cohort, CohortSpec, _group

    spec = CohortSpec(seed=SEED, layout=layout(size), until=UNTIL)
    rng = np.random.default_rng(spec.seed)
    cohort = Cohort()
    folder.mkdir(parents=True)
    for number, plan in enumerate(spec.layout, start=1):
        _group(rng, cohort, spec, f"G{spec.seed:03d}{number:04d}", number, plan)
        if number % FLUSH_GROUPS == 0:
            _flush(cohort, folder, ("sessions", "attendance", "responses"))
    _flush(cohort, folder, ("groups", "members", "sessions", "attendance", "responses", "truth"))


def _flush(cohort: Any, folder: Path, names: tuple[str, ...]) -> None:
    import pandas as pd

    for name in names:
        rows = getattr(cohort, name)
        if rows:
            path = folder / f"{name}.csv"
            pd.DataFrame(rows).to_csv(path, mode="a", header=not path.exists(), index=False)
            rows.clear()


def bundle(size: int) -> tuple[Path, float | None]:
    """The size's bundle folder (generated once) and the seconds generating it took now."""
    return _kept_bundle(size_folder(size) / "bundle", lambda partial: write_cohort(size, partial))


def one_group_bundle() -> Path:
    """A bundle of one new closed group (its own seed, so its codes are new to every size)."""
    from rom.synthetic import CohortSpec, generate

    spec = CohortSpec(seed=SEED + 1, layout=(("psychotherapy", "closed", 20, NEW_GROUP_START),))
    folder = cache_root() / f"growth-{VERSION}-one-group"
    return _kept_bundle(folder, lambda partial: generate(spec).write(partial))[0]


def _kept_bundle(folder: Path, write: Callable[[Path], None]) -> tuple[Path, float | None]:
    if (folder / "complete").exists():
        return folder, None
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    started = time.perf_counter()
    write(partial)
    seconds = time.perf_counter() - started
    (partial / "complete").write_text(f"{seconds:.0f} s\n")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return folder, seconds


# ---------------------------------------------------------------- loading without the import


def bulk_load(folder: Path) -> None:
    """Write the bundle into the (empty) database as rom.services.bundles.import_bundle would,
    row for row and id for id, without reading it all into memory: the import holds every row
    of the bundle as a validated dict (about 0.8 MB a member: 8 GB at 10,000 members), so it
    cannot build the larger sizes on this machine. Scored by questionnaires.score_frame, as the
    import scores. Used for sizes above KRING_GROWTH_IMPORT_MAX."""
    import pandas as pd
    from flask import current_app

    timezone = current_app.config["TIMEZONE"]
    groups = _load_groups(pd.read_csv(folder / "groups.csv", dtype=str))
    memberships = _load_members(pd.read_csv(folder / "members.csv", dtype=str), groups)
    sessions = _load_sessions(pd.read_csv(folder / "sessions.csv", dtype=str), groups, timezone)
    _load_attendance(folder, sessions, memberships)
    _load_responses(folder, sessions, memberships, timezone)


def _insert(model: type, rows: list[dict[str, Any]]) -> None:
    """On PostgreSQL by COPY (several times faster than inserting); else an executemany of
    LOAD_CHUNK rows at a time."""
    from rom.extensions import db

    table = model.__table__
    if not rows:
        return
    if db.engine.dialect.name == "postgresql":
        _copy(table, rows)
        return
    for start in range(0, len(rows), LOAD_CHUNK):
        db.session.execute(table.insert(), rows[start : start + LOAD_CHUNK])


def _copy(table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """The rows by PostgreSQL's COPY in the session's transaction, as the insert writes them:
    each value through its column type's bind processing, a column the rows leave out at its
    Python-side default (evaluated for each row) or else at the server's (an id's sequence)."""
    from rom.extensions import db

    given = list(rows[0])
    defaulted = [c for c in table.c if c.name not in rows[0] and c.default is not None]
    columns = [table.c[name] for name in given] + defaulted
    binds = [c.type.bind_processor(db.engine.dialect) for c in columns]
    statement = f"COPY {table.name} ({', '.join(c.name for c in columns)}) FROM STDIN"
    with db.session.connection().connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = [row[name] for name in given] + [_default(c) for c in defaulted]
            copy.write_row([v if b is None else b(v) for v, b in zip(values, binds, strict=True)])


def _default(column: sa.Column) -> Any:
    """The column's Python-side default for one row, as the insert evaluates it."""
    default = column.default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy's wrapper of a default that takes no context
    raise ValueError(f"{column}: a default COPY cannot evaluate: {default}")


def _load_groups(frame: Any) -> dict[str, int]:
    from rom.models import Group

    rows = [
        {
            "id": number,
            "code": r.group_id,
            "name": r.name,
            "kind": r.kind,
            "format": r.format,
            "planned_sessions": int(r.planned_sessions),
            "start_date": date.fromisoformat(r.start_date),
            "weekday": date.fromisoformat(r.start_date).weekday(),
        }
        for number, r in enumerate(frame.itertuples(index=False), start=1)
    ]
    _insert(Group, rows)
    return {row["code"]: row["id"] for row in rows}


def _load_members(frame: Any, groups: dict[str, int]) -> dict[tuple[str, str], int]:
    from rom.models import Client, Membership

    members = list(frame.itertuples(index=False))
    _insert(
        Client,
        [
            {"id": n, "code": r.member_id, "language": r.language}
            for n, r in enumerate(members, start=1)
        ],
    )
    _insert(
        Membership,
        [
            {
                "id": n,
                "client_id": n,
                "group_id": groups[r.group_id],
                "joined_session": int(r.joined_session),
            }
            for n, r in enumerate(members, start=1)
        ],
    )
    return {(r.member_id, r.group_id): n for n, r in enumerate(members, start=1)}


def _load_sessions(frame: Any, groups: dict[str, int], timezone: str) -> dict[tuple[str, int], int]:
    from rom.clock import session_start
    from rom.models import GroupSession, SessionStatus

    rows = [
        {
            "id": n,
            "group_id": groups[r.group_id],
            "number": int(r.session_no),
            "planned_start": session_start(date.fromisoformat(r.date), None, timezone),
            "status": SessionStatus.HELD if r.held == "True" else SessionStatus.CANCELLED,
        }
        for n, r in enumerate(frame.itertuples(index=False), start=1)
    ]
    _insert(GroupSession, rows)
    return {
        (code, row["number"]): row["id"] for code, row in zip(frame["group_id"], rows, strict=True)
    }


def _load_attendance(folder: Path, sessions: dict, memberships: dict) -> None:
    import pandas as pd

    from rom.models import Attendance

    frame = pd.read_csv(folder / "attendance.csv", dtype={"session_no": int}, keep_default_na=False)
    rows = [
        {
            "session_id": sessions[(r.group_id, r.session_no)],
            "membership_id": memberships[(r.member_id, r.group_id)],
            "status": r.status,
        }
        for r in frame.itertuples(index=False)
    ]
    _insert(Attendance, rows)


def _load_responses(folder: Path, sessions: dict, memberships: dict, timezone: str) -> None:
    """responses.csv a few million rows at a time; a group's rows are together in the file, so
    the last group of a chunk waits for the next chunk (an administration is never split)."""
    import pandas as pd

    types = {"member_id": str, "group_id": str, "instrument": str, "completed_at": str}
    chunks = pd.read_csv(folder / "responses.csv", dtype=types, chunksize=READ_CHUNK)
    carried, next_id = None, 1
    for chunk in chunks:
        rows = chunk if carried is None else pd.concat([carried, chunk], ignore_index=True)
        last = rows["group_id"].iloc[-1]
        carried = rows[rows["group_id"] == last]
        next_id = _load_administrations(
            rows[rows["group_id"] != last], next_id, sessions, memberships, timezone
        )
    if carried is not None:
        _load_administrations(carried, next_id, sessions, memberships, timezone)


def _load_administrations(
    rows: Any, first_id: int, sessions: dict, memberships: dict, timezone: str
) -> int:
    """Responses (ids in order of first appearance, as the import's), answers and scores."""
    from questionnaires import score_frame
    from rom.clock import to_utc
    from rom.instruments import library
    from rom.models import Answer, Response, ResponseSource, Score
    from rom.services.bundles.store import score_records

    if rows.empty:
        return first_id
    keys = ["member_id", "group_id", "session_no", "instrument"]
    done = rows.groupby(keys, sort=False)["completed_at"].max().reset_index()
    done["id"] = range(first_id, first_id + len(done))
    moments = {
        m: to_utc(datetime.fromisoformat(m), timezone) for m in done["completed_at"].unique()
    }
    instruments = library()
    _insert(
        Response,
        [
            {
                "id": r.id,
                "membership_id": memberships[(r.member_id, r.group_id)],
                "session_id": sessions[(r.group_id, r.session_no)],
                "instrument_id": r.instrument,
                "instrument_version": instruments[r.instrument].version,
                "completed_at": moments[r.completed_at],
                "source": ResponseSource.IMPORT,
            }
            for r in done.itertuples(index=False)
        ],
    )
    answers = rows.merge(done[[*keys, "id"]], on=keys).rename(columns={"id": "response_id"})
    _insert(Answer, answers[["response_id", "item", "value"]].to_dict("records"))
    for instrument_id, part in answers.groupby("instrument"):
        scored = score_frame(
            instruments[str(instrument_id)],
            part[["response_id", "item", "value"]],
            by=["response_id"],
        )
        _insert(Score, score_records(scored))
    return first_id + len(done)


# ---------------------------------------------------------------- measuring


@contextmanager
def counted() -> Iterator[list[int]]:
    """The number of SQL statements sent inside the block (in the list's one item)."""
    from rom.extensions import db

    count = [0]

    def one_more(*_args: object) -> None:
        count[0] += 1

    sa.event.listen(db.engine, "before_cursor_execute", one_more)
    try:
        yield count
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", one_more)


def heavy_repeats() -> int:
    """How often each batch cost (seconds to minutes) runs; the best run counts."""
    return int(os.environ.get("KRING_GROWTH_REPEATS", "2"))


def _reset_peak() -> None:
    """Start this process's peak resident memory (VmHWM) again from what it holds now."""
    with contextlib.suppress(OSError):  # not Linux, or not allowed: the peak counts from start
        Path("/proc/self/clear_refs").write_text("5")


def once(work: Callable[[], object]) -> tuple[Figure, object]:
    _reset_peak()
    with counted() as count:
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Figure(seconds, count[0], cpu, _peak_megabytes()), result


def best_of(work: Callable[[], object], repeats: int | None = None) -> tuple[Figure, object]:
    """The fastest of a few runs (the machine is shared: noise only ever adds time), and the
    last run's result."""
    figures, result = [], None
    for _ in range(repeats or heavy_repeats()):
        figure, result = once(work)
        figures.append(figure)
    return _combined(figures, min), result


def median_of(work: Callable[[], object], repeats: int = REPEATS) -> Figure:
    """The median of `repeats` runs after a first one (cold caches)."""
    work()
    return _combined([once(work)[0] for _ in range(repeats)], statistics.median)


def _combined(figures: list[Figure], pick: Callable[[list[float]], float]) -> Figure:
    return Figure(
        pick([f.seconds for f in figures]),
        figures[-1].statements,
        pick([f.cpu or 0.0 for f in figures]),
        max(f.peak_mb or 0.0 for f in figures),
    )


def _get(client: Any, path: str, **kwargs: Any) -> Any:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response


# ---------------------------------------------------------------- the application


def make_app(size: int) -> Any:
    from flask_migrate import upgrade

    from rom import create_app

    app = create_app(
        {
            "DATABASE_URL": _database_url(size),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "API_RATE_LIMIT": "1000000 per minute",
        }
    )
    with app.app_context():
        upgrade()
    return app


def _empty_database(size: int) -> None:
    if on_postgresql():
        drop_database(database_name(size))
    else:
        (size_folder(size) / "kring.sqlite3").unlink(missing_ok=True)


def import_max() -> int:
    """The largest size imported through import_bundle; larger ones are bulk loaded."""
    return int(os.environ.get("KRING_GROWTH_IMPORT_MAX", "10000"))


def build(size: int) -> Built:
    """The size's database, imported from its bundle (timed; bulk loaded above import_max())
    and readied for measuring: a therapist who leads the measured groups, a stored expected
    course and stored flags."""
    from rom.services.bundles import import_bundle
    from rom.transactions import committed

    folder, generated = bundle(size)
    _empty_database(size)
    app = make_app(size)
    imported = size <= import_max()
    with app.app_context(), committed():
        figure = once(lambda: import_bundle(folder) if imported else bulk_load(folder))[0]
    peak = _peak_megabytes()
    with app.app_context():
        if not imported:
            advance_id_sequences()
        _ready()
        built = Built(
            members=_count("clients"),
            answers=_count("answers"),
            loaded_by="import" if imported else "bulk load",
            load=figure,
            load_peak_mb=peak,
            built_on=datetime.now().isoformat(timespec="minutes"),
            generated_seconds=generated,
        )
    _sidecar(size).write_text(json.dumps(asdict(built), indent=1))
    return built


def _count(table: str) -> int:
    from rom.extensions import db

    return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))


def _ready() -> None:
    from rom.extensions import db
    from rom.models import Group, Role
    from rom.services.accounts import new_staff_user
    from rom.services.courses import refit_expected_course
    from rom.services.flagging import recompute_flags

    therapist = new_staff_user("growth@kring.test", "Growth", Role.THERAPIST, PASSWORD)
    db.session.add(therapist)
    for group in db.session.scalars(sa.select(Group).where(Group.code.in_(measured_codes()))):
        group.therapists = [therapist]
    refit_expected_course()
    recompute_flags()
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))


def built(size: int) -> Built | None:
    """The figures of the size's kept database, None when it must be built (again)."""
    path = _sidecar(size)
    if os.environ.get("KRING_GROWTH_REBUILD") == "1" or not path.exists():
        return None
    if on_postgresql() and not existing_database(database_name(size)):
        return None
    kept = json.loads(path.read_text())
    return Built(**{**kept, "load": Figure(**kept["load"])})


# ---------------------------------------------------------------- one size's costs


def measure(size: int) -> dict[str, Any]:
    """Every cost on the size's database: the analytics in one fresh process, then the
    requests in another, which is what a web worker is (so its peak memory is a worker's)."""
    analytics = _in_child(measure_analytics, size)
    requests = _in_child(measure_requests, size)
    figures = analytics | requests["figures"]
    return {
        "figures": figures,
        "peak_mb": max(f["peak_mb"] or 0.0 for f in figures.values()),
        "under_load": requests["under_load"],
    }


def measure_analytics(size: int) -> dict[str, dict]:
    """The import of one group, the frames, flags, replay, refit and recompute."""
    app = make_app(size)
    with app.app_context():
        figures = {"import_group": _import_one_group(), **_analytics()}
    return {k: asdict(v) for k, v in figures.items()}


def measure_requests(size: int) -> dict[str, Any]:
    """A web worker's requests (dashboards, briefing, API, the organisation report), then the
    dashboards while the recompute runs in a process of its own."""
    from rom import settle_web_worker

    app = make_app(size)
    with app.app_context():
        session_id, token = _targets()
    client = app.test_client()
    client.post("/staff/login", data={"email": "growth@kring.test", "password": PASSWORD})
    settle_web_worker()  # as wsgi.py does for each web worker
    with app.app_context():
        figures = _requests(client, session_id, token)
        figures["organisation"] = _organisation_report(client, session_id)
        loaded, under_load = _under_load(client, size, session_id)
    return {
        "figures": {k: asdict(v) for k, v in (figures | loaded).items()},
        "under_load": under_load,
    }


def _import_one_group() -> Figure:
    """What importing a month's new group costs once the organisation is this big."""
    from rom.extensions import db
    from rom.services.bundles import import_bundle

    def imported() -> None:
        import_bundle(one_group_bundle())
        db.session.rollback()

    return best_of(imported)[0]


def _signals(frames: Any, today: Any) -> dict[str, Figure]:
    from rom.analytics.replay import current_flags, replay

    return {
        "current": best_of(lambda: current_flags(frames, today))[0],
        "replay": best_of(lambda: replay(frames))[0],
    }


def _analytics() -> dict[str, Figure]:
    import pandas as pd

    from rom.clock import organisation_today
    from rom.extensions import db
    from rom.frames import numbered_frames
    from rom.services.courses import refit_expected_course
    from rom.services.flagging import recompute_flags

    def refit() -> None:
        refit_expected_course()
        db.session.rollback()  # the kept database keeps the fit stored when it was built

    def recompute() -> None:
        recompute_flags()
        db.session.commit()

    figures: dict[str, Figure] = {}
    figures["load"], (frames, _names) = best_of(numbered_frames)  # as the recompute reads them
    figures |= _signals(frames, pd.Timestamp(organisation_today()))
    frames = None  # the refit and the recompute load their own
    figures["refit"] = best_of(refit)[0]
    figures["recompute"] = best_of(recompute)[0]
    return figures


def _targets() -> tuple[int, str]:
    """The latest session of the first measured group (its briefing), and an API token for
    the six measured groups."""
    from rom.extensions import db
    from rom.models import ORGANISATION_SCOPES, SCOPES, Group, GroupSession, utcnow
    from rom.services.api_tokens import create_token

    groups = list(db.session.scalars(sa.select(Group.id).where(Group.code.in_(measured_codes()))))
    session_id = db.session.scalar(
        sa.select(GroupSession.id)
        .join(Group)
        .where(Group.code == measured_codes()[0])
        .order_by(GroupSession.number.desc())
        .limit(1)
    )
    group_scopes = sorted(set(SCOPES) - ORGANISATION_SCOPES)  # a group-limited token
    token = create_token("growth", group_scopes, utcnow() + timedelta(days=1), groups).secret
    db.session.commit()
    return session_id, token


def _dash_body(outputs: list[Any], inputs: list[tuple[str, str, object]]) -> dict:
    return _body([(o.component_id, o.component_property) for o in outputs], inputs)


def _dashboard_calls(group_id: int) -> tuple[dict, dict]:
    from dash import Output

    from dashboards.caseload import ids as caseload
    from dashboards.group import ids as group
    from dashboards.page import chart_outputs

    group_outputs = [
        Output(group.HEADING, "children"),
        Output(group.GROUPS, "children"),
        Output(f"{group.COURSES}-caption", "children"),
        Output(group.COURSES, "children"),
        Output(f"{group.COURSES}-table", "children"),
        *[o for graph in group.GRAPHS for o in chart_outputs(graph)],
        Output(group.FLAGS, "children"),
        Output(group.REPORT, "href"),
    ]
    caseload_outputs = [
        Output(caseload.GROUPS, "children"),
        *chart_outputs(caseload.CHART),
        Output(caseload.TODO, "children"),
    ]
    return (
        _dash_body(group_outputs, [(group.URL, "search", f"?group={group_id}")]),
        _dash_body(caseload_outputs, [(caseload.URL, "pathname", "/dash/caseload/")]),
    )


def _calls_of(session_id: int) -> tuple[dict, dict]:
    """The group dashboard's callback for the session's group, and the caseload's."""
    from rom.extensions import db
    from rom.models import GroupSession

    return _dashboard_calls(db.session.get(GroupSession, session_id).group_id)


def _requests(client: Any, session_id: int, token: str) -> dict[str, Figure]:
    group_call, caseload_call = _calls_of(session_id)
    headers = {"Authorization": f"Bearer {token}"}
    figures = {
        "group": median_of(lambda: _post(client, "/dash/group/", group_call)),
        "caseload": median_of(lambda: _post(client, "/dash/caseload/", caseload_call)),
        "briefing": median_of(lambda: _get(client, f"/staff/sessions/{session_id}/briefing")),
    }
    with counted() as count:
        timings = bench_api._measure(lambda: client.get("/api/v1/flags", headers=headers))
    figures["api_flags"] = Figure(statistics.median(timings), count[0] / len(timings))
    return figures


def _organisation_report(client: Any, session_id: int) -> Figure:
    """One organisation report, after a briefing PDF has warmed the renderer (fonts)."""
    from rom.reports.organisation import organisation_report

    _get(client, f"/staff/sessions/{session_id}/briefing.pdf")
    return best_of(lambda: organisation_report(*YEAR))[0]


# ---------------------------------------------------------------- the recompute under load


def _timed_recompute(size: int) -> tuple[Figure, float, float]:
    """The hourly recompute and its commit in this process, as the scheduler runs it: its
    figure, and when (time.time()) it started and ended."""
    from rom.extensions import db
    from rom.services.flagging import recompute_flags

    window: list[float] = []

    def recompute() -> None:
        window.append(time.time())
        recompute_flags()
        db.session.commit()
        window.append(time.time())

    with make_app(size).app_context():
        figure = once(recompute)[0]
    return figure, window[0], window[1]


@dataclass
class Call:
    """One dashboard callback posted while the recompute ran (or waited to start)."""

    path: str
    started: float  # time.time(), comparable with the recompute's process
    seconds: float
    ok: bool  # answered 200


def _call(client: Any, path: str, body: dict) -> Call:
    started, clock = time.time(), time.perf_counter()
    response = client.post(
        f"{path}_dash-update-component", data=json.dumps(body), content_type="application/json"
    )
    return Call(path, started, time.perf_counter() - clock, response.status_code == 200)


def _under_load(
    client: Any, size: int, session_id: int
) -> tuple[dict[str, Figure], dict[str, Any]]:
    """The recompute in a process of its own while this one posts the group and caseload
    dashboard callbacks in turn; the callbacks that started while it ran count. The figures,
    and the callbacks' count, failures and p50/p95 by dashboard."""
    bodies = dict(zip(DASHBOARDS, _calls_of(session_id), strict=True))
    calls: list[Call] = []
    _reset_peak()
    spawn = multiprocessing.get_context("spawn")
    with counted() as count, ProcessPoolExecutor(1, mp_context=spawn) as pool:
        recompute = pool.submit(_timed_recompute, size)
        for path in itertools.cycle(DASHBOARDS):
            if recompute.done():
                break
            calls.append(_call(client, path, bodies[path]))
        figure, began, ended = recompute.result()
    during = [c for c in calls if began <= c.started <= ended]
    statements = count[0] / max(len(calls), 1)
    figures = {"under_load": figure} | _callback_figures([c.seconds for c in during], statements)
    by_dashboard = {path: [c.seconds for c in during if c.path == path] for path in DASHBOARDS}
    detail = {
        "calls": len(during),
        "failed": sum(not c.ok for c in during),
        "percentiles": {
            path: [_percentile(seconds, share) for share in (0.5, 0.95)]
            for path, seconds in by_dashboard.items()
            if seconds
        },
    }
    return figures, detail


def _callback_figures(seconds: list[float], statements: float) -> dict[str, Figure]:
    """The callbacks' p50 and p95 (with the SQL statements of one, and this process's peak)."""
    if not seconds:
        return {}
    peak = _peak_megabytes()
    return {
        f"under_load_p{share * 100:.0f}": Figure(
            _percentile(seconds, share), statements, None, peak
        )
        for share in (0.5, 0.95)
    }


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# ---------------------------------------------------------------- running and printing


def _in_child(function: Callable[[int], Any], size: int) -> Any:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, size).result()


def run_size(size: int) -> dict[str, Any]:
    """Build the size's database if it is not kept yet, then measure it: each in a process of
    its own. Returns the figures by cost, and what the build found."""
    kept = built(size)
    if kept is None:
        started = time.perf_counter()
        kept = _in_child(build, size)
        print(
            f"{size:,}: built in {time.perf_counter() - started:.0f} s (generating the bundle "
            f"{_seconds_text(kept.generated_seconds)}, {kept.loaded_by} "
            f"{kept.load.seconds:.0f} s, peak {kept.load_peak_mb:,.0f} MB)",
            flush=True,
        )
    started = time.perf_counter()
    measured = measure(size)
    print(
        f"{size:,}: {kept.members:,} members, {kept.answers:,} answers; measured in "
        f"{time.perf_counter() - started:.0f} s, peak {measured['peak_mb']:,.0f} MB",
        flush=True,
    )
    figures = {k: Figure(**v) for k, v in measured["figures"].items()}
    if kept.loaded_by == "import":
        figures["import"] = replace(kept.load, peak_mb=kept.load_peak_mb)
    return {
        "built": kept,
        "figures": figures,
        "peak_mb": measured["peak_mb"],
        "under_load": measured.get("under_load"),
    }


def _seconds_text(seconds: float | None) -> str:
    return "cached" if seconds is None else f"{seconds:.0f} s"


def _time_text(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    if figure.seconds >= 1:
        return f"{figure.seconds:.1f} s"
    return f"{figure.seconds * 1000:.0f} ms"


def _statements_text(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    return f"{figure.statements:,.0f}" if figure.statements >= 10 else f"{figure.statements:g}"


def _growth_text(key: str, results: dict[int, dict[str, Any]], cpu: bool = False) -> str:
    """Time (wall-clock, or this process's CPU) at the largest size over time at the smallest;
    "!" for each step that grew more than 10 % faster than the members did."""
    measured = [s for s in results if _seconds(results, s, key, cpu) is not None]
    if len(measured) < 2:
        return "-"
    marks = ""
    for small, large in itertools.pairwise(measured):
        ratio = _seconds(results, large, key, cpu) / _seconds(results, small, key, cpu)
        data = results[large]["built"].members / results[small]["built"].members
        marks += "!" if ratio > 1.1 * data else ""
    growth = _seconds(results, measured[-1], key, cpu) / _seconds(results, measured[0], key, cpu)
    return f"{growth:.1f}x" + (f" {marks}" if marks else "")


def _seconds(results: dict[int, dict[str, Any]], size: int, key: str, cpu: bool) -> float | None:
    figure = results[size]["figures"].get(key)
    seconds = None if figure is None else (figure.cpu if cpu else figure.seconds)
    return None if seconds is None else max(seconds, 1e-6)


def _rows(results: dict[int, dict[str, Any]]) -> list[list[str]]:
    columns = list(results)
    rows = [
        [
            label,
            *[_time_text(results[s]["figures"].get(key)) for s in columns],
            _growth_text(key, results),
            _growth_text(key, results, cpu=True),
            " / ".join(_statements_text(results[s]["figures"].get(key)) for s in columns),
            " / ".join(_peak_text(results[s]["figures"].get(key)) for s in columns),
        ]
        for key, label in COSTS
    ]
    members = [f"{results[s]['built'].members:,}" for s in columns]
    return [*rows, ["members", *members, "", "", "", ""]]


def _peak_text(figure: Figure | None) -> str:
    return "-" if figure is None or figure.peak_mb is None else f"{figure.peak_mb:,.0f}"


def print_table(results: dict[int, dict[str, Any]]) -> None:
    backend = "PostgreSQL" if on_postgresql() else "SQLite"
    sizes_text = [f"{s / 1000:g}k" for s in results]
    header = ["cost", *sizes_text, "growth", "growth (cpu)", "SQL statements", "peak MB"]
    rows = _rows(results)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print(f"\ngrowth curves on {backend}, time at each size ({' / '.join(sizes_text)} members)")
    for row in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"\nthe hourly recompute while the dashboards are used, on {backend}")
    for size, result in results.items():
        print(f"  {size:,}: {_under_load_text(result)}")


def _under_load_text(result: dict[str, Any]) -> str:
    figure, detail = result["figures"].get("under_load"), result.get("under_load")
    if figure is None or detail is None:
        return "not measured"
    p50, p95 = (result["figures"].get(f"under_load_p{n}") for n in (50, 95))
    text = (
        f"recompute {_time_text(figure)} (target < {RECOMPUTE_TARGET:.0f} s: "
        f"{_verdict(figure.seconds, RECOMPUTE_TARGET)}); {detail['calls']:,} callbacks during "
        f"it, {detail['failed']} failed"
    )
    if p50 is None or p95 is None:
        return text
    by_dashboard = ", ".join(
        f"{path.strip('/').removeprefix('dash/')} {a * 1000:.0f}/{b * 1000:.0f} ms"
        for path, (a, b) in detail["percentiles"].items()
    )
    return (
        f"{text}: p50 {_time_text(p50)}, p95 {_time_text(p95)} (target < "
        f"{CALLBACK_P95_TARGET * 1000:.0f} ms: {_verdict(p95.seconds, CALLBACK_P95_TARGET)}); "
        f"p50/p95 by dashboard: {by_dashboard}"
    )


def _verdict(seconds: float, target: float) -> str:
    return "met" if seconds < target else "NOT met"


def run() -> None:
    results: dict[int, dict[str, Any]] = {}
    for size in sizes():
        try:
            results[size] = run_size(size)
        except Exception as error:  # a size that fails (memory, time) leaves the others
            print(f"{size:,}: failed: {type(error).__name__}: {error}", flush=True)
    if results:
        print_table(results)

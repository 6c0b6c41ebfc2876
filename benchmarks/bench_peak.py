"""The evening peak (#28): 2,000 members send their questionnaire within ten minutes through
gunicorn with four workers on PostgreSQL, while the real scheduler process delivers reminders to
a local SMTP server (aiosmtpd on loopback).

Targets: p95 of opening the questionnaire page < 150 ms, p95 of submitting it < 300 ms, no
request answered with an error, no response lost or stored twice.

Set-up (not measured): 250 groups of 8 members, each member with PHQ-9 totals at the two
sessions before (so the thank-you page draws their course over the expected band) and an
invitation for the third, held session, planned by the application's own planning; the tokens
are read from the invitation messages, which are then delivered (as they were that afternoon)
to the SMTP server. The reminders are timed to fall due evenly over the window. A stored fit of
the expected course exists, as the scheduler's daily refit leaves one.

The window: gunicorn as README's Production section runs it (ROM_ENV=production, 4 sync
workers, `wsgi:app`) behind one trusted proxy, so each member reaches it from an address of
their own (X-Forwarded-For) and the rate limits count as in production; `flask rom scheduler`
beside it with its production intervals. Members arrive as a Poisson process over the window
(sorted uniform times); each opens the link, reads and answers each page for a few seconds,
and sends it as the form does: a POST per page (the last with action=submit), following the
redirect to the next page. A new connection per request, as a phone makes; the time of each
request is its wall time on the client, from connecting to the last byte of the answer.

Afterwards the database is counted: every member whose send was answered 2xx/3xx has each of
their questionnaires stored exactly once. KRING_PEAK_MINUTES shortens the window (e.g. 2; the
think times shrink with it). Everything runs on this machine's 2 cores: the client, the four
workers, the scheduler and PostgreSQL share them; the CPU each used is printed.
"""

from __future__ import annotations

import http.client
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask

from benchmarks.data import ROOT, new_database, on_postgresql

if TYPE_CHECKING:
    from rom.models import StaffUser

GROUPS, MEMBERS = 250, 8
WORKERS = 4
FULL_WINDOW_MINUTES = 10.0
THINK_SECONDS = (2.0, 5.0)  # per page in the full window; scaled with a shorter one
CRITICAL_SHARE = 0.03  # members answering PHQ-9 item 9 above 0 (a flag and an alert each)
CLIENT_THREADS = 256  # far above the members in progress at once: none waits for a thread
SEED = 28
OPEN_TARGET, SUBMIT_TARGET = 0.150, 0.300
TOKEN_IN_BODY = re.compile(r"/q/([A-Za-z0-9_-]+)")
RADIO = re.compile(r'<input type="radio" name="(item-\d+)" value="(-?\d+)"')
HIDDEN = re.compile(r'<input type="hidden" name="(csrf_token|page)" value="([^"]*)"')
LOG_PROBLEM = re.compile(r"Traceback|\bERROR\b|CRITICAL|WORKER TIMEOUT")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- processes and servers ------------------------------------------------------------------


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[str]:
    """A new database of the kind: an SQLite file in the run's folder, or PostgreSQL."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'peak.sqlite3'}"
        return
    with _postgres() as url:
        yield url


@contextmanager
def _postgres() -> Iterator[str]:
    """A new database on ROM_DATABASE_URL's server (dropped at exit), else on a throwaway
    cluster of our own (stopped and removed when the block ends)."""
    if on_postgresql():
        yield new_database()
        return
    from tests.postgres import cluster

    with cluster() as server:
        engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text('CREATE DATABASE "kring_peak"'))
        engine.dispose()
        yield sa.make_url(server).set(database="kring_peak").render_as_string(False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Sink:
    """The SMTP server: when each message arrived and what it was (its Message-ID's purpose)."""

    port: int
    received: list[tuple[float, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        headers = BytesHeaderParser().parsebytes(envelope.content)
        purpose = str(headers.get("Message-ID", "<other")).lstrip("<").split(".", 1)[0]
        self.received.append((time.monotonic(), purpose))
        return "250 OK"

    def between(self, start: float, end: float) -> Counter[str]:
        return Counter(purpose for at, purpose in list(self.received) if start <= at <= end)


@contextmanager
def _smtp_sink() -> Iterator[Sink]:
    sink = Sink(_free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def _environment(database_url: str, smtp_port: int) -> dict[str, str]:
    """Production settings, as README's Production section sets them."""
    return os.environ | {
        "FLASK_APP": "wsgi.py",
        "ROM_ENV": "production",
        "ROM_SECRET_KEY": secrets.token_hex(32),
        "ROM_DATABASE_URL": database_url,
        "ROM_SMTP_HOST": "127.0.0.1",
        "ROM_SMTP_PORT": str(smtp_port),
        "ROM_TRUSTED_PROXIES": "1",  # each member's own address arrives in X-Forwarded-For
    }


@contextmanager
def _process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A child process with its output in `log`, stopped with SIGTERM (then SIGKILL) however
    the block ends."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            _stop(process)


def _stop(process: subprocess.Popen, seconds: float = 30) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def _gunicorn(env: dict[str, str], port: int, log: Path) -> Iterator[subprocess.Popen]:
    """gunicorn as README's Production section starts it (its pid is the master's)."""
    command = [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", str(WORKERS)]
    command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    with _process(command, env, log) as server:
        _wait_until_healthy(port, server, log)
        _wait_for_workers(server.pid)
        yield server


@contextmanager
def _scheduler(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`flask rom scheduler`, once it holds the lease."""
    command = [str(Path(sys.executable).with_name("flask")), "rom", "scheduler"]
    with _process(command, env, log) as scheduler:
        _wait_for_lease(log, scheduler)
        yield scheduler


def _wait_until_healthy(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn ended: {log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not become healthy: {log.read_text()[-2000:]}")


def _wait_for_workers(master: int) -> None:
    deadline = time.monotonic() + 60
    while len(_children(master)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.2)


def _wait_for_lease(log: Path, scheduler: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while "lease acquired" not in log.read_text():
        if scheduler.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the scheduler did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)


def _log_problems(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if LOG_PROBLEM.search(line)]


# -- the database ---------------------------------------------------------------------------


def _application(database_url: str, smtp_port: int) -> Flask:
    """The benchmark's own application on the database: migrated, delivering to the sink."""
    from flask_migrate import upgrade

    from rom import create_app

    app = create_app(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": smtp_port,
        }
    )
    with app.app_context():
        upgrade()
    return app


def _populate(session_start: datetime) -> None:
    """The groups, their members and earlier scores, and the third session, held."""
    from rom.extensions import db
    from rom.models import GroupSession, SessionStatus
    from tests.factories import make_therapist

    rng = random.Random(SEED)
    therapist = make_therapist("peak@kring.test", "Piet")
    for number in range(GROUPS):
        _add_group(number, session_start, therapist, rng)
    db.session.commit()
    _plan(session_start)
    db.session.execute(sa.update(GroupSession).values(status=SessionStatus.HELD))
    db.session.commit()
    _refit()


def _add_group(
    number: int, session_start: datetime, therapist: StaffUser, rng: random.Random
) -> None:
    """A group whose third session was yesterday evening; members who scored the first two."""
    from rom.extensions import db
    from rom.models import Response, ResponseSource, Score
    from tests.factories import make_group, make_member, make_session

    first = session_start - timedelta(weeks=2)
    group = make_group(
        code=f"P{number}",
        name=f"Avondgroep {number}",
        therapists=(therapist,),
        start_date=first.date(),
        weekday=first.weekday(),
    )
    earlier = [make_session(group, n, start=session_start - timedelta(weeks=3 - n)) for n in (1, 2)]
    make_session(group, 3, start=session_start)
    for m in range(MEMBERS):
        member = make_member(group, code=f"P{number}M{m}")
        intake = float(rng.randint(10, 22))
        for before, total in zip(earlier, (intake, intake - rng.randint(-2, 5)), strict=True):
            db.session.add(
                Response(
                    membership_id=member.id,
                    session_id=before.id,
                    instrument_id="phq9",
                    instrument_version="1",
                    completed_at=before.planned_start + timedelta(hours=3),
                    source=ResponseSource.PHONE,
                    scores=[Score(scale="total", raw=total, value=total, items_missing=0)],
                )
            )


def _plan(session_start: datetime) -> None:
    """The application's planning, as the scheduler ran it before the session."""
    from rom.services.planning import plan_invitations
    from rom.transactions import committed

    with committed():
        plan_invitations(session_start - timedelta(minutes=1))


def _refit() -> None:
    """The expected course stored, as the scheduler's daily job stores it (without a stored fit
    every thank-you page fits one, and does not keep it: see the report of #28)."""
    from rom.services.courses import refit_expected_course
    from rom.transactions import committed

    with committed():
        refit_expected_course()


def _tokens() -> dict[str, int]:
    """Token -> invitation id, read from the invitation messages while they still hold them."""
    from rom.extensions import db
    from rom.models import OutboxMessage

    rows = db.session.execute(
        sa.select(OutboxMessage.invitation_id, OutboxMessage.body).where(
            OutboxMessage.purpose == "invitation"
        )
    )
    return {TOKEN_IN_BODY.search(body)[1]: invitation_id for invitation_id, body in rows}


def _deliver_invitations(app: Flask) -> int:
    """The invitations went out after the session: delivered now, before the window."""
    from rom.messaging.delivery import deliver_due
    from rom.messaging.senders import configured_senders
    from rom.models import utcnow

    sent = 0
    while True:
        report = deliver_due(configured_senders(app.config), utcnow(), limit=1000)
        sent += report.sent
        if report.sent + report.retried + report.failed + report.cancelled == 0:
            return sent


def _time_reminders(start: datetime, seconds: float) -> None:
    """The reminders fall due evenly over the window (in the order they were queued)."""
    from rom.extensions import db
    from rom.models import OutboxMessage

    ids = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.purpose == "reminder")
        .order_by(OutboxMessage.id)
    ).all()
    table = OutboxMessage.__table__
    db.session.connection().execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("message_id"))
        .values(next_attempt_at=sa.bindparam("due")),
        [
            {"message_id": i, "due": start + timedelta(seconds=seconds * (n + 0.5) / len(ids))}
            for n, i in enumerate(ids)
        ],
    )
    db.session.commit()


def _analyze() -> None:
    from rom.extensions import db

    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def _table_scans() -> dict[str, tuple[int, int]]:
    """Sequential scans per table so far (scans, rows read), from PostgreSQL's statistics
    (SQLite keeps none)."""
    from rom.extensions import db

    if db.engine.dialect.name != "postgresql":
        return {}
    rows = db.session.execute(
        sa.text("SELECT relname, seq_scan, seq_tup_read FROM pg_stat_user_tables")
    )
    scans = {name: (count or 0, read or 0) for name, count, read in rows}
    db.session.commit()
    return scans


def _postmaster_pid() -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine."""
    from rom.extensions import db

    if db.engine.dialect.name != "postgresql":
        return None  # SQLite runs inside the workers and the scheduler: counted there
    backend = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    db.session.commit()
    try:
        return _parent(backend)
    except OSError:
        return None  # a server elsewhere: its CPU is not counted


# -- the members -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    token: str
    invitation_id: int
    address: str
    arrival: float  # seconds after the window opens
    thinks: tuple[float, ...]  # per page, before sending it
    critical: bool
    seed: int


def _members(tokens: dict[str, int], seconds: float) -> list[Member]:
    """The members in order of arrival: a Poisson process conditioned on its count is sorted
    uniform times."""
    rng = random.Random(SEED)
    scale = seconds / (FULL_WINDOW_MINUTES * 60)
    arrivals = sorted(rng.uniform(0, seconds) for _ in tokens)
    order = list(tokens.items())
    rng.shuffle(order)
    return [
        Member(
            token=token,
            invitation_id=invitation_id,
            address=f"10.{28 + n // 65536}.{n // 256 % 256}.{n % 256}",
            arrival=arrival,
            thinks=tuple(rng.uniform(*THINK_SECONDS) * scale for _ in range(4)),
            critical=rng.random() < CRITICAL_SHARE,
            seed=rng.randrange(2**32),
        )
        for n, ((token, invitation_id), arrival) in enumerate(zip(order, arrivals, strict=True))
    ]


@dataclass(frozen=True)
class Answer:
    status: int  # 0: no answer (the exception's name is in `problem`)
    location: str
    body: str
    problem: str = ""


class Sample(NamedTuple):
    kind: str  # open, page (the next one, after a redirect), save (POST next), send (submit)
    at: float  # when it began (time.monotonic())
    seconds: float
    status: int
    problem: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


@dataclass
class Recorder:
    """Every request's kind, seconds and status; which members' sends were taken; lateness."""

    samples: list[Sample] = field(default_factory=list)
    sent: set[int] = field(default_factory=set)
    late: list[float] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, answer: Answer) -> None:
        with self.lock:
            at = time.monotonic() - seconds
            self.samples.append(Sample(kind, at, seconds, answer.status, answer.problem))


def _request(
    port: int, member: Member, method: str, path: str, form: dict[str, str] | None = None
) -> tuple[float, Answer]:
    """One request on a new connection, as a phone makes it; its wall time on the client."""
    headers = {"X-Forwarded-For": member.address, "Accept-Language": "nl-NL,nl;q=0.9"}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        answer = Answer(response.status, response.getheader("Location") or "", text)
    except (OSError, http.client.HTTPException) as error:
        answer = Answer(0, "", "", type(error).__name__)
    return time.perf_counter() - started, answer


def _filled(page: str, member: Member, rng: random.Random) -> dict[str, str]:
    """The page's form as the member sends it: every question answered (PHQ-9, the first page,
    item 9 above 0 only for the critical few), the form key as the page gave it."""
    form = dict(HIDDEN.findall(page))
    options: dict[str, list[str]] = {}
    for name, value in RADIO.findall(page):
        options.setdefault(name, []).append(value)
    for name, values in options.items():
        suicidal_thoughts = form.get("page") == "1" and name == "item-9"
        if suicidal_thoughts:
            form[name] = values[1] if member.critical else values[0]
        else:
            form[name] = rng.choice(values)
    form["action"] = "submit" if 'value="submit"' in page else "next"
    return form


def _visit(
    port: int, member: Member, opened_at: float, recorder: Recorder, stop: threading.Event
) -> None:
    """One member: open the link, then answer and send each page, following the redirects."""
    delay = opened_at + member.arrival - time.monotonic()
    if stop.wait(max(0.0, delay)):
        return
    began = time.monotonic()
    recorder.late.append(max(0.0, -delay))
    rng = random.Random(member.seed)
    path = f"/q/{member.token}"
    seconds, answer = _request(port, member, "GET", path)
    recorder.add("open", seconds, answer)
    for think in member.thinks:
        if answer.status != 200 or stop.wait(think):
            break
        form = _filled(answer.body, member, rng)
        kind = "send" if form["action"] == "submit" else "save"
        seconds, answer = _request(port, member, "POST", path, form)
        recorder.add(kind, seconds, answer)
        if kind == "send":
            if 200 <= answer.status < 400:
                recorder.sent.add(member.invitation_id)
            break
        if answer.status in (302, 303) and answer.location:
            location = urlsplit(answer.location)
            seconds, answer = _request(port, member, "GET", f"{location.path}?{location.query}")
            recorder.add("page", seconds, answer)
    recorder.spans.append((began, time.monotonic()))


@dataclass
class Usage:
    """CPU seconds per party and the machine's, and the load average, sampled over the window."""

    parties: dict[str, list[int]]
    postmaster: int | None
    started: dict[str, float] = field(default_factory=dict)
    machine: tuple[int, int] = (0, 0)
    load: list[float] = field(default_factory=list)

    def begin(self) -> None:
        self.started = self._now()
        self.machine = _machine_ticks()

    def used(self) -> tuple[dict[str, float], float]:
        """Seconds per party since begin(), and the share of the machine busy meanwhile (the
        server's processes started during the window counted too)."""
        if self.postmaster is not None:
            self.parties["PostgreSQL"] = [self.postmaster, *_children(self.postmaster)]
        now = self._now()
        busy, total = _machine_ticks()
        share = (busy - self.machine[0]) / max(1, total - self.machine[1])
        return {party: now[party] - self.started[party] for party in now}, share

    def _now(self) -> dict[str, float]:
        seconds = {party: sum(map(_cpu_seconds, pids)) for party, pids in self.parties.items()}
        return seconds | {"client (this process)": sum(os.times()[:2])}


def _load(port: int, members: list[Member], usage: Usage) -> Recorder:
    """Every member's visit on a thread of its own, each starting at its arrival time."""
    recorder, stop = Recorder(), threading.Event()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        opened_at = time.monotonic() + 1.0
        usage.begin()
        futures: set[Future] = {
            pool.submit(_visit, port, member, opened_at, recorder, stop) for member in members
        }
        try:
            while futures:
                done, futures = wait(futures, timeout=5, return_when=FIRST_EXCEPTION)
                usage.load.append(os.getloadavg()[0])
                for future in done:
                    future.result()
        finally:
            stop.set()
    return recorder


def _warm_up(port: int, members: list[Member]) -> None:
    """Each worker has served pages before the peak (a production worker has been up for hours):
    a few openings of links, from an address of their own, not counted."""
    visitor = Member("", 0, "10.0.0.1", 0, (), False, 0)
    for member in members[: 5 * WORKERS]:
        _request(port, visitor, "GET", f"/q/{member.token}")


# -- the count and the figures -----------------------------------------------------------------


def _stored(invitation_ids: set[int]) -> tuple[dict[int, int], dict[int, int], int]:
    """Per invitation: questionnaires asked, responses stored; and responses stored twice for
    one member, session and questionnaire."""
    from rom.extensions import db
    from rom.models import Invitation, Response

    asked = {
        i: len(ids)
        for i, ids in db.session.execute(
            sa.select(Invitation.id, Invitation.instrument_ids).where(
                Invitation.id.in_(invitation_ids)
            )
        )
    }
    stored = dict(
        db.session.execute(
            sa.select(Response.invitation_id, sa.func.count())
            .where(Response.invitation_id.in_(invitation_ids))
            .group_by(Response.invitation_id)
        ).all()
    )
    twice = (
        sa.select(sa.func.count())
        .select_from(Response)
        .group_by(Response.membership_id, Response.session_id, Response.instrument_id)
        .having(sa.func.count() > 1)
        .subquery()
    )
    doubled = db.session.scalar(sa.select(sa.func.count()).select_from(twice))
    return asked, stored, doubled


def _report_stored(members: list[Member], recorder: Recorder) -> None:
    asked, stored, doubled = _stored({m.invitation_id for m in members})
    complete = {i for i, count in stored.items() if count == asked[i]}
    lost = recorder.sent - complete
    over = {i for i, count in stored.items() if count > asked[i]}
    unseen = complete - recorder.sent
    print(
        f"stored: {len(complete):,} of {len(members):,} invitations answered, "
        f"{sum(stored.values()):,} responses; sends answered 2xx/3xx: {len(recorder.sent):,}; "
        f"lost {len(lost)}, doubled {len(over) + doubled}; stored although the member saw no "
        f"2xx/3xx: {len(unseen)}"
    )
    for invitation_id in sorted(lost)[:5]:
        print(f"  lost: invitation {invitation_id}, {stored.get(invitation_id, 0)} stored")


def _percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _latency_line(label: str, values: list[float], target: float | None) -> str:
    if not values:
        return f"  {label}: no requests"
    p50, p95, p99 = (_percentile(values, s) * 1000 for s in (0.50, 0.95, 0.99))
    line = f"  {label}: n={len(values):,}  p50 {p50:.0f} ms  p95 {p95:.0f} ms  p99 {p99:.0f} ms"
    if target is not None:
        verdict = "met" if p95 <= target * 1000 else "NOT met"
        line += f"  (target p95 < {target * 1000:.0f} ms: {verdict})"
    return f"{line}  max {max(values) * 1000:.0f} ms"


def _report_latencies(recorder: Recorder) -> None:
    by_kind: dict[str, list[float]] = {}
    for sample in recorder.samples:
        if sample.ok:
            by_kind.setdefault(sample.kind, []).append(sample.seconds)
    posts = by_kind.get("save", []) + by_kind.get("send", [])
    print("latency on the client (connect to last byte), requests answered 2xx/3xx:")
    print(
        _latency_line("open a questionnaire (GET /q/<token>)", by_kind.get("open", []), OPEN_TARGET)
    )
    print(_latency_line("next page (GET after the redirect)", by_kind.get("page", []), OPEN_TARGET))
    print(_latency_line("save a page (POST action=next)", by_kind.get("save", []), SUBMIT_TARGET))
    print(_latency_line("send (POST action=submit)", by_kind.get("send", []), SUBMIT_TARGET))
    print(_latency_line("every submit POST", posts, SUBMIT_TARGET))
    errors = Counter(f"{s.kind} {s.status or s.problem}" for s in recorder.samples if not s.ok)
    detail = ", ".join(f"{what}: {count}" for what, count in errors.most_common())
    print(
        f"errors (not 2xx/3xx): {sum(errors.values())} of {len(recorder.samples):,} requests"
        + (f" ({detail})" if detail else "")
    )


def _report_timeline(recorder: Recorder, opened: float, lasted: float, folder: Path) -> None:
    """p95 of every request per tenth of the window (do slow requests come in bursts?); every
    sample written to samples.csv beside the logs."""
    slices: list[list[float]] = [[] for _ in range(10)]
    for sample in recorder.samples:
        if sample.ok:
            slices[min(9, int(10 * (sample.at - opened) / lasted))].append(sample.seconds)
    figures = " ".join(
        f"{_percentile(values, 0.95) * 1000:.0f}" if values else "-" for values in slices
    )
    print(f"  p95 of every request per tenth of the window, ms: {figures}")
    with (folder / "samples.csv").open("w") as out:
        out.write("kind,at_s,ms,status,problem\n")
        for s in sorted(recorder.samples, key=lambda s: s.at):
            out.write(
                f"{s.kind},{s.at - opened:.3f},{s.seconds * 1000:.1f},{s.status},{s.problem}\n"
            )


def _report_load(recorder: Recorder, seconds: float, members: int) -> None:
    began = [start for start, _ in recorder.spans]
    ended = [end for _, end in recorder.spans]
    busy = max((sum(b <= t < e for b, e in recorder.spans) for t in began), default=0)
    lasted = max(ended) - min(began) if recorder.spans else 0.0
    print(
        f"load: {members:,} members over {seconds / 60:g} min ({members / seconds:.1f} a second), "
        f"{len(recorder.samples):,} requests in {lasted:.0f} s; members in progress at once: at "
        f"most {busy}; a visit started late by at most {max(recorder.late, default=0):.2f} s"
    )


def _report_usage(usage: Usage, lasted: float) -> None:
    used, machine = usage.used()
    cores = os.cpu_count() or 1
    ours = sum(used.values())
    parts = ", ".join(f"{party} {seconds:.0f} s" for party, seconds in used.items())
    print(
        f"CPU over {lasted:.0f} s on {cores} cores ({cores * lasted:.0f} core-seconds): {parts}; "
        f"ours {ours / (cores * lasted):.0%} of the machine, the machine busy "
        f"{machine:.0%} (other users {max(0.0, machine - ours / (cores * lasted)):.0%}); "
        "load average (1 min) during the window "
        f"{min(usage.load, default=0):.1f}-{max(usage.load, default=0):.1f}"
    )


def _report_scans(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> None:
    if not after:
        return  # SQLite counts no scans
    grown = {
        name: (scans - before.get(name, (0, 0))[0], read - before.get(name, (0, 0))[1])
        for name, (scans, read) in after.items()
    }
    heavy = sorted(((r, s, n) for n, (s, r) in grown.items() if r > 0), reverse=True)[:5]
    listed = ", ".join(f"{name} {scans:,} scans / {read:,} rows" for read, scans, name in heavy)
    print(f"sequential scans during the window (most rows read): {listed or 'none'}")


def _report_messages(sink: Sink, start: float, end: float) -> None:
    from rom.extensions import db
    from rom.models import OutboxMessage

    during = sink.between(start, end)
    reminders = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.purpose == "reminder")
            .group_by(OutboxMessage.status)
        ).all()
    )
    kinds = ", ".join(f"{purpose} {count:,}" for purpose, count in during.most_common())
    states = ", ".join(f"{status} {count:,}" for status, count in sorted(reminders.items()))
    print(
        f"scheduler: {sum(during.values()):,} messages delivered to the SMTP server during the "
        f"window ({kinds or 'none'}); reminders now: {states}"
    )


# -- /proc ------------------------------------------------------------------------------------


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()


def _parent(pid: int) -> int:
    return int(_stat_fields(pid)[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _parent(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError):
                continue
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system time of the process and of its children it has waited for."""
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine so far (every core, every user)."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    total = sum(ticks[:8])  # guest time is already in user time
    return total - ticks[3] - ticks[4], total  # idle and iowait are not busy


def _peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _report_memory(workers: list[int], scheduler: int, master: int) -> None:
    now = sorted(_children(master))
    peaks = ", ".join(f"{_peak_memory_mb(pid):.0f}" for pid in now)
    print(
        f"peak memory (VmHWM): gunicorn workers {peaks} MB; scheduler "
        f"{_peak_memory_mb(scheduler):.0f} MB"
        + ("" if now == sorted(workers) else f" (workers restarted: were {sorted(workers)})")
    )


# -- the benchmark ----------------------------------------------------------------------------


def _window_seconds() -> float:
    return float(os.environ.get("KRING_PEAK_MINUTES", FULL_WINDOW_MINUTES)) * 60


def _prepare(app: Flask) -> list[Member]:
    """The data, the invitations delivered, the reminders timed; the members to come."""
    from rom.models import utcnow

    started = time.perf_counter()
    with app.app_context():
        _populate(utcnow().replace(microsecond=0) - timedelta(hours=21))
        tokens = _tokens()
        delivered = _deliver_invitations(app)
        _analyze()
    print(
        f"set-up: {GROUPS * MEMBERS:,} members in {GROUPS} groups, {len(tokens):,} invitations "
        f"planned, {delivered:,} delivered before the window, in "
        f"{time.perf_counter() - started:.0f} s"
    )
    return _members(tokens, _window_seconds())


def _peak(app: Flask, sink: Sink, members: list[Member], folder: Path) -> None:
    """Gunicorn and the scheduler up, the members through, the figures."""
    url, seconds = app.config["SQLALCHEMY_DATABASE_URI"], _window_seconds()
    env, port = _environment(url, sink.port), _free_port()
    logs = {"gunicorn": folder / "gunicorn.log", "scheduler": folder / "scheduler.log"}
    with (
        _gunicorn(env, port, logs["gunicorn"]) as server,
        _scheduler(env, logs["scheduler"]) as scheduler,
    ):
        _warm_up(port, members)
        workers = _children(server.pid)
        usage, scans = _before_the_window(app, seconds, server.pid, workers, scheduler.pid)
        opened = time.monotonic()
        recorder = _load(port, members, usage)
        lasted = time.monotonic() - opened
        _report_load(recorder, seconds, len(members))
        _report_latencies(recorder)
        _report_timeline(recorder, opened, lasted, folder)
        _report_usage(usage, lasted)
        _report_memory(workers, scheduler.pid, server.pid)
        with app.app_context():
            _report_messages(sink, opened, time.monotonic())
            _report_scans(scans, _table_scans())
    with app.app_context():
        _report_stored(members, recorder)
    for name, log in logs.items():
        problems = _log_problems(log)
        lines = "".join(f"\n  {line[:200]}" for line in problems[:8])
        print(f"{name} log: {len(problems)} lines with errors{lines}")


def _before_the_window(
    app: Flask, seconds: float, master: int, workers: list[int], scheduler: int
) -> tuple[Usage, dict[str, tuple[int, int]]]:
    """The reminders timed from now; what each party has used so far."""
    from rom.models import utcnow

    with app.app_context():
        _time_reminders(utcnow() + timedelta(seconds=1), seconds)
        scans, postmaster = _table_scans(), _postmaster_pid()
    parties = {f"gunicorn ({WORKERS} workers)": [master, *workers], "scheduler": [scheduler]}
    if postmaster is not None:
        parties["PostgreSQL"] = [postmaster, *_children(postmaster)]
    return Usage(parties, postmaster), scans


def run() -> None:
    peak_on("postgresql")


def peak_on(kind: str) -> None:
    """The peak on a new database of the kind ('postgresql' or 'sqlite')."""
    from rom.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="kring-peak-"))
    print(f"database: {kind}")
    with _database(kind, folder) as database_url, _smtp_sink() as sink:
        app = _application(database_url, sink.port)
        members = _prepare(app)
        try:
            _peak(app, sink, members, folder)
        finally:
            with app.app_context():
                db.engine.dispose()
    print(
        f"targets: p95 open < {OPEN_TARGET * 1000:.0f} ms, p95 submit < "
        f"{SUBMIT_TARGET * 1000:.0f} ms; logs in {folder}"
    )

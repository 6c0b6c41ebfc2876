"""Where benchmarks find the sample bundle, and a throwaway application to measure against."""

from __future__ import annotations

import atexit
import itertools
import os
import tarfile
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

ROOT = Path(__file__).resolve().parents[1]
_numbers = itertools.count(1)


def sample_bundle() -> Path:
    shared = ROOT.parent / "shared" / "sample-bundle"
    if (shared / "responses.csv").exists():
        return shared
    target = Path(tempfile.mkdtemp(prefix="kring-sample-"))
    with tarfile.open(ROOT / "tests" / "data" / "sample-bundle.tar.xz") as archive:
        archive.extractall(target)
    return target / "sample-bundle"


def fresh_app(**config: object) -> Flask:
    """An application on a new, migrated database: a new database on the PostgreSQL server of
    ROM_DATABASE_URL (that database itself is never touched; the new one is dropped when the
    benchmarks end), else a new SQLite file."""
    from flask_migrate import upgrade

    from rom import create_app

    app = create_app({"DATABASE_URL": new_database(), "SECRET_KEY": "bench", **config})
    with app.app_context():
        upgrade()
    return app


def on_postgresql() -> bool:
    return os.environ.get("ROM_DATABASE_URL", "").startswith("postgresql")


def new_database(name: str | None = None) -> str:
    """The URL of an empty database to measure on; a named one is kept for the next run (a
    cache) and made only when it is not there yet."""
    if not on_postgresql():
        folder = Path(tempfile.mkdtemp(prefix="kring-bench-"))
        return f"sqlite:///{folder / (name or 'bench')}.sqlite3"
    server = sa.make_url(os.environ["ROM_DATABASE_URL"])
    wanted = name or f"kring_bench_{os.getpid()}_{next(_numbers)}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": wanted}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{wanted}"'))
    engine.dispose()
    if name is None:
        atexit.register(_drop, server, wanted)
    return server.set(database=wanted).render_as_string(hide_password=False)


def existing_database(name: str) -> bool:
    """Whether the named cache database holds a migrated schema already."""
    url = new_database(name)
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).has_table("alembic_version")
    finally:
        engine.dispose()


def _drop(server: sa.URL, name: str) -> None:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def advance_id_sequences() -> None:
    """After rows were written with explicit ids, PostgreSQL's id sequences still start at 1:
    move each past the largest id, so the next insert gets a free one (SQLite needs nothing)."""
    from rom.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, sa.Integer):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                )
            )
    db.session.commit()


def drop_database(name: str) -> None:
    """Drop a named cache database on the PostgreSQL server of ROM_DATABASE_URL (so it is built
    again); nothing on SQLite."""
    if on_postgresql():
        _drop(sa.make_url(os.environ["ROM_DATABASE_URL"]), name)

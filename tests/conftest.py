"""Fixtures: an app per backend (SQLite and a throwaway PostgreSQL), clean tables per test."""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from rom import create_app
from rom.extensions import db, limiter
from rom.models import Base
from tests import postgres

IN_CI = os.environ.get("CI") == "true"
SHARED_SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "sample-bundle"
ARCHIVED_SAMPLE = Path(__file__).parent / "data" / "sample-bundle.tar.xz"


def require(condition: bool, reason: str) -> None:
    """Skip with a visible reason on a developer's machine; fail in CI, where nothing may skip."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {reason}")
        pytest.skip(reason)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if IN_CI and skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def sample_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """../shared/sample-bundle when this checkout sits beside it, else the archived copy."""
    if (SHARED_SAMPLE / "responses.csv").exists():
        return SHARED_SAMPLE
    target = tmp_path_factory.mktemp("sample")
    with tarfile.open(ARCHIVED_SAMPLE) as archive:
        archive.extractall(target)  # our own archive; Python 3.11.2 has no filter=
    return target / "sample-bundle"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    require(postgres.available(), "PostgreSQL server binaries are not installed")
    with postgres.cluster() as url:
        yield url


def _migrated_app(url: str, instance: Path) -> Flask:
    from flask_migrate import upgrade

    app = create_app(
        {
            "DATABASE_URL": url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            "BASE_URL": "http://kring.test",
        }
    )
    app.instance_path = str(instance)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def sqlite_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    folder = tmp_path_factory.mktemp("sqlite")
    return _migrated_app(f"sqlite:///{folder / 'kring.sqlite3'}", folder)


@pytest.fixture(scope="session")
def postgresql_app(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return _migrated_app(postgres_url, tmp_path_factory.mktemp("pg"))


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request: pytest.FixtureRequest) -> Iterator[Flask]:
    """The application on a migrated database with empty tables, on each backend."""
    application = request.getfixturevalue(f"{request.param}_app")
    with application.app_context():
        _empty_tables()
        limiter.reset()
        application.extensions.pop("kring.library", None)
        yield application
        db.session.remove()


@pytest.fixture
def sqlite_only(sqlite_app: Flask) -> Iterator[Flask]:
    """For the few slow tests that run on one backend only."""
    with sqlite_app.app_context():
        _empty_tables()
        limiter.reset()  # each test starts with fresh login and link allowances
        yield sqlite_app
        db.session.remove()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            return
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()

"""Settings come from ROM_* variables, with defaults that run out of the box; production is safe."""

from pathlib import Path

import pytest

from rom import create_app
from rom.config import ConfigError


def test_database_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ROM_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("ROM_SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert app.config["SECRET_KEY"] == "from-env"


def test_plain_postgresql_urls_use_psycopg_3(monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app({"DATABASE_URL": "postgresql://kring@db/kring", "SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://kring@db/kring"


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(ConfigError, match="ROM_SECRET_KEY must be set"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})


def test_local_secret_key_is_generated_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ROM_SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": "sqlite://"})
    second = create_app({"DATABASE_URL": "sqlite://"})
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    key_file = Path(first.instance_path) / "secret_key"
    assert key_file.stat().st_mode & 0o077 == 0


def production(**settings: object):
    return create_app(
        {
            "ENV": "production",
            "DATABASE_URL": "sqlite://",
            "SECRET_KEY": "a-long-random-production-secret-0123456789",
        }
        | settings
    )


def test_production_in_any_case_is_production_and_a_misspelling_is_refused() -> None:
    app = production(ENV="Production")
    assert app.config["ENV"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REQUIRE_SECOND_FACTOR"] is True
    with pytest.raises(ConfigError, match="ROM_ENV must be one of"):
        create_app({"ENV": "prod", "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})


@pytest.mark.parametrize("weak", ["1", "secret", "a" * 64, "short-but-not-32-chars"])
def test_production_refuses_a_weak_secret_key(weak: str) -> None:
    with pytest.raises(ConfigError, match="too weak"):
        production(SECRET_KEY=weak)


def test_production_sends_hsts_and_development_does_not() -> None:
    assert (
        "max-age=31536000"
        in (production().test_client().get("/staff/login").headers["Strict-Transport-Security"])
    )
    development = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k"})
    assert "Strict-Transport-Security" not in development.test_client().get("/staff/login").headers


def test_forwarded_headers_are_believed_only_from_trusted_proxies() -> None:
    from flask import request

    seen = []
    for hops in (0, 1):
        app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "k", "TRUSTED_PROXIES": hops})
        app.before_request(lambda: seen.append((request.remote_addr, request.scheme)))
        app.test_client().get(
            "/staff/login",
            headers={"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"},
        )
    assert seen == [("127.0.0.1", "http"), ("203.0.113.5", "https")]

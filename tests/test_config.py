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

"""The schema is only ever built by migrations, and the models agree with them."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from rom import create_app
from rom.models import Base


def fresh_database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    server = request.getfixturevalue("postgres_url")
    name = f"fresh_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_from_nothing_matches_the_models(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    app = create_app(
        {"DATABASE_URL": fresh_database_url(backend, tmp_path, request), "SECRET_KEY": "test"}
    )
    with app.app_context():
        upgrade()
        from rom.extensions import db

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            tables = set(sa.inspect(connection).get_table_names())
        assert {"groups", "memberships", "responses", "flags", "outbox_messages"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_batteries_asking_about_the_session_move_to_after_it(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    app = create_app(
        {"DATABASE_URL": fresh_database_url(backend, tmp_path, request), "SECRET_KEY": "test"}
    )
    with app.app_context():
        from rom.extensions import db

        upgrade(revision="b43aa8041550")
        with db.engine.begin() as connection:
            for battery_id, name, offset, instrument in [
                (1, "climate", -24, "gcq_s"),
                (2, "cohesion after", 3, "gcs"),
                (3, "symptoms only", -24, "phq9"),
            ]:
                connection.execute(
                    sa.text(
                        "INSERT INTO batteries (id, name, send_offset_hours, "
                        "reminder_after_hours, expires_after_hours) VALUES (:id, :name, :offset, "
                        "20, 30)"
                    ),
                    {"id": battery_id, "name": name, "offset": offset},
                )
                connection.execute(
                    sa.text(
                        "INSERT INTO battery_instruments (battery_id, instrument_id, position, "
                        "first_session, every) VALUES (:id, :instrument, 1, 1, 1)"
                    ),
                    {"id": battery_id, "instrument": instrument},
                )
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT name, send_offset_hours FROM batteries"))
            offsets = dict(rows.all())
        db.engine.dispose()
    assert offsets == {"climate": 2, "cohesion after": 3, "symptoms only": -24}

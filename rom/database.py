"""Database behaviour that must hold on every connection."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine


@sa.event.listens_for(Engine, "connect")
def _enforce_sqlite_foreign_keys(connection: Any, _record: Any) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

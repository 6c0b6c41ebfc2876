"""Database behaviour that must hold on every connection."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine


@sa.event.listens_for(Engine, "connect")
def _configure_sqlite(connection: Any, _record: Any) -> None:
    """Per SQLite connection: enforce foreign keys (off by default), and use write-ahead logging
    so the web server and the scheduler can share the file (readers never block the writer;
    synchronous=NORMAL keeps commits durable across application crashes)."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

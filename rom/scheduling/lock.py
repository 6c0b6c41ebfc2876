"""Exactly one active scheduler: a PostgreSQL advisory lock, or on SQLite a lease row with a TTL.

The advisory lock belongs to a connection, so a killed process loses it at once; the SQLite
lease must be renewed by a heartbeat and can be taken over when it has expired.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from rom.models import SchedulerLease

LEASE_NAME = "scheduler"
ADVISORY_KEY = 0x4B52494E47  # "KRING"


class Lease:
    def __init__(self, engine: Engine, holder: str, seconds: float) -> None:
        self.engine, self.holder, self.ttl = engine, holder, timedelta(seconds=seconds)
        self._connection: Connection | None = None

    @property
    def advisory(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def try_acquire(self, now: datetime) -> bool:
        if self.advisory:
            return self._try_advisory()
        return self._take_row(now)

    def renew(self, now: datetime) -> bool:
        """True while this process still holds the lease."""
        if self.advisory:
            return self._connection is not None and not self._connection.closed
        return self._take_row(now)

    def release(self) -> None:
        if self._connection is not None:
            # closing alone would return the connection, lock and all, to the pool
            self._connection.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            self._connection.commit()
            self._connection.close()
            self._connection = None
        elif not self.advisory:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.delete(SchedulerLease).where(
                        SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder
                    )
                )

    def _try_advisory(self) -> bool:
        if self._connection is None:
            self._connection = self.engine.connect()
        got = self._connection.execute(
            sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
        ).scalar()
        self._connection.commit()
        return bool(got)

    def _take_row(self, now: datetime) -> bool:
        with self.engine.begin() as connection:
            taken = connection.execute(
                sa.update(SchedulerLease)
                .where(
                    SchedulerLease.name == LEASE_NAME,
                    sa.or_(SchedulerLease.holder == self.holder, SchedulerLease.expires_at < now),
                )
                .values(holder=self.holder, expires_at=now + self.ttl)
            ).rowcount
        if taken:
            return True
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    sa.insert(SchedulerLease).values(
                        name=LEASE_NAME, holder=self.holder, expires_at=now + self.ttl
                    )
                )
        except IntegrityError:
            return False
        return True

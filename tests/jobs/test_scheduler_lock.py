"""One scheduler holds the lease; the other waits until it is free."""

from datetime import datetime, timedelta

from flask import Flask

from rom.extensions import db
from rom.scheduling.lock import Lease

NOW = datetime(2026, 3, 2, 9, 0)


def test_only_one_holder_at_a_time(app: Flask) -> None:
    first, second = Lease(db.engine, "a", 30), Lease(db.engine, "b", 30)
    try:
        assert first.try_acquire(NOW)
        assert not second.try_acquire(NOW + timedelta(seconds=1))
        assert first.renew(NOW + timedelta(seconds=10))
    finally:
        first.release()
        second.release()


def test_a_released_or_lapsed_lease_can_be_taken(app: Flask) -> None:
    first, second = Lease(db.engine, "a", 30), Lease(db.engine, "b", 30)
    try:
        assert first.try_acquire(NOW)
        if first.advisory:  # PostgreSQL: the lock goes with the holder's connection
            first.release()
            assert second.try_acquire(NOW)
        else:  # SQLite: a lease nobody renewed lapses
            assert second.try_acquire(NOW + timedelta(seconds=31))
            assert not first.renew(NOW + timedelta(seconds=32))
    finally:
        first.release()
        second.release()

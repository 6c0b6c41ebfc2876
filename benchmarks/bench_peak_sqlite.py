"""The evening peak of `bench_peak` on SQLite: the same members, gunicorn with four workers and
the scheduler sharing one SQLite file (write-ahead logging, the README's small installation).

Rate limits are counted per worker here (the default in-process store), as they are on such an
installation without Redis.
"""

from __future__ import annotations

from benchmarks.bench_peak import peak_on


def run() -> None:
    peak_on("sqlite")

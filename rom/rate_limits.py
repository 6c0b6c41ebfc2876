"""The rate limiter's in-process store (the default with one web worker; Redis with several).

limits' own memory store starts a timer thread to forget expired windows after almost every
counted request, and waits for it to start: under load that thread costs more than the page
it protects. This store forgets expired windows in line instead, at most once a second. A
window's count is still checked for expiry on every read (limits' `get`), so limits hold as
before; only the clean-up of keys that are never read again is batched.
"""

from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    STORAGE_SCHEME = ["kring-memory"]  # noqa: RUF012 (limits registers schemes by this list)

    def __init__(self, uri: str | None = None, **options: str) -> None:
        super().__init__(uri, **options)
        self._swept_at = time.time()
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (overrides limits' private hook)
        now = time.time()
        if abs(now - self._swept_at) < SWEEP_SECONDS or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._swept_at = now
            self._MemoryStorage__expire_events()
        finally:
            self._sweeping.release()

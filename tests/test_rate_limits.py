"""The in-process rate-limit store counts like limits' own and starts no thread per request."""

import threading

import time_machine
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from rom.rate_limits import SweptMemoryStorage


def test_a_limit_holds_within_its_window_and_lifts_after_it() -> None:
    limiter = FixedWindowRateLimiter(storage_from_string("kring-memory://"))
    three = parse("3 per minute")
    with time_machine.travel("2026-12-01 10:00:00", tick=False) as clock:
        assert [limiter.hit(three, "link:a") for _ in range(4)] == [True, True, True, False]
        assert limiter.hit(three, "link:b")  # another link has its own count
        clock.shift(61)
        assert limiter.hit(three, "link:a")


def test_counting_starts_no_thread() -> None:
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    before = threading.active_count()
    for n in range(200):
        limiter.hit(parse("1000 per minute"), f"address:{n % 7}")
    assert threading.active_count() <= before


def test_expired_windows_are_forgotten_by_the_next_sweep() -> None:
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    with time_machine.travel("2026-12-01 10:00:00", tick=False) as clock:
        for n in range(50):
            limiter.hit(parse("5 per second"), f"link:{n}")
        clock.shift(5)
        limiter.hit(parse("5 per second"), "link:new")
    assert [key for key in storage.storage if "link:" in key] == ["LIMITER/link:new/5/1/second"]

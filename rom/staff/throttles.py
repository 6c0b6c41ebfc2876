"""Throttles on the staff login: failed passwords counted per address, per account from one
address and per account overall; failed second-factor codes per address and per account. Only
failures count, so colleagues behind one clinic address log in freely; every limit is kept in
the rate limiter's store (Redis with several workers), and a refusal says when to try again."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from flask import current_app, make_response, render_template, request, session
from flask_limiter import RequestLimit
from werkzeug.wrappers import Response

from rom.extensions import limiter

PENDING = "kring_pending_user"


def failed(response: Response) -> bool:
    """A login step failed when it did not move on (a success redirects)."""
    return response.status_code != 302


def typed_account() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def per_account() -> str:
    return f"login-account:{typed_account()}"


def per_account_and_address() -> str:
    return f"login-account-address:{typed_account()}:{request.remote_addr}"


def per_pending_account() -> str:
    return f"second-factor:{session.get(PENDING)}"


def address_rate() -> str:
    return current_app.config["LOGIN_ADDRESS_LIMIT"]


def account_rate() -> str:
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def account_address_rate() -> str:
    return current_app.config["LOGIN_ACCOUNT_ADDRESS_LIMIT"]


def second_factor_rate() -> str:
    return current_app.config["SECOND_FACTOR_ACCOUNT_LIMIT"]


def too_many(limit: RequestLimit) -> Response:
    """429 with Retry-After (seconds) and a page that says how long to wait."""
    seconds = max(math.ceil(limit.reset_at - time.time()), 1)
    page = render_template("staff/too_many.html", minutes=math.ceil(seconds / 60))
    return make_response(page, 429, {"Retry-After": str(seconds)})


def failures(rate: Callable[[], str], key_func: Callable[[], str] | None = None) -> Callable:
    """A limit on a login step's failed POSTs (by address, or by `key_func`), answered by
    `too_many` when it is reached."""
    return limiter.limit(
        rate, methods=["POST"], key_func=key_func, deduct_when=failed, on_breach=too_many
    )

"""What guards a member's link besides its secret token: a form key bound to the link (CSRF) and
a rate limit per link and per address. Neither needs a cookie, so the member's phone keeps none
of ours unless the member picks a language."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from functools import cache

from flask import current_app, request
from limits import RateLimitItem, parse

from rom.extensions import limiter
from rom.tokens import token_hash

FORM_KEY_FIELD = "csrf_token"


def form_key(token: str) -> str:
    """The CSRF value of a link's forms: an HMAC of the link under the application's secret.

    Another site cannot forge a request without knowing the link, and whoever knows the link can
    answer anyway, so binding the key to the link protects as much as a session would. Unlike a
    session's key it lasts as long as the link: a page left open for hours can still be sent."""
    secret = current_app.config["SECRET_KEY"]
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, b"kring-form:" + token.encode(), hashlib.sha256).hexdigest()


def form_key_matches(token: str, sent: str | None) -> bool:
    """Compared as bytes: a key with characters outside ASCII is simply wrong, not an error."""
    return sent is not None and hmac.compare_digest(form_key(token).encode(), sent.encode())


@cache
def _rate_limit(rate: str) -> RateLimitItem:
    return parse(rate)


def seconds_until_allowed(token: str) -> int:
    """Count this request against the link's and the address's window (QUESTIONNAIRE_RATE_LIMIT
    each); 0 when both still had room, else the seconds until the fuller one has room again."""
    if not limiter.enabled:
        return 0
    rate = _rate_limit(current_app.config["QUESTIONNAIRE_RATE_LIMIT"])
    strategy = limiter.limiter
    keys = [("q-link", token_hash(token)[:24]), ("q-address", request.remote_addr or "")]
    refused = [key for key in keys if not strategy.hit(rate, *key)]
    if not refused:
        return 0
    resets = [strategy.get_window_stats(rate, *key).reset_time for key in refused]
    return max(1, math.ceil(max(resets) - time.time()))

"""API tokens for the test client: every scope an integration may hold, and a bearer header."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from rom.extensions import db
from rom.models import utcnow
from rom.services.api_tokens import create_token

ALL: list[str] = [
    "groups:read",
    "sessions:write",
    "attendance:write",
    "scores:read",
    "responses:read",
    "flags:read",
]


def bearer(
    scopes: Sequence[str] = ALL, days: int = 30, group_ids: list[int] | None = None
) -> dict[str, str]:
    made = create_token("agenda", list(scopes), utcnow() + timedelta(days=days), group_ids)
    db.session.commit()
    return {"Authorization": f"Bearer {made.secret}"}

"""API tokens for integrations: created by an admin (the token is shown once; only its hash is
kept), checked on every call, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from rom.extensions import db
from rom.models import ORGANISATION_SCOPES, SCOPES, ApiToken, utcnow
from rom.refusals import Refusal
from rom.tokens import new_token, token_hash

PREFIX = "kring_"


class TokenRefusedError(Refusal):
    """Why a presented token is not accepted (401)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once to the admin, never stored


def create_token(
    name: str,
    scopes: list[str],
    expires_at: datetime,
    group_ids: list[int] | None = None,
    created_by_id: int | None = None,
) -> NewToken:
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise ValueError(f"unknown or no scopes: {sorted(unknown)}")
    if group_ids is not None and ORGANISATION_SCOPES & set(scopes):
        wide = sorted(ORGANISATION_SCOPES & set(scopes))
        raise ValueError(f"a token limited to groups cannot hold the organisation's scopes {wide}")
    secret, hashed = new_token()
    token = ApiToken(
        name=name,
        token_hash=hashed,
        scopes=sorted(scopes),
        group_ids=group_ids,
        created_by_id=created_by_id,
        expires_at=expires_at,
    )
    db.session.add(token)
    db.session.flush()
    return NewToken(token, PREFIX + secret)


def authenticate(header: str | None) -> ApiToken:
    """The token named by an `Authorization: Bearer ...` header, or TokenRefusedError."""
    if not header or not header.startswith("Bearer "):
        raise TokenRefusedError("missing")
    secret = header.removeprefix("Bearer ").strip().removeprefix(PREFIX)
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None:
        raise TokenRefusedError("unknown")
    if token.revoked_at is not None:
        raise TokenRefusedError("revoked")
    if token.expires_at <= now:
        raise TokenRefusedError("expired")
    token.last_used_at = now
    return token


def revoke(token: ApiToken) -> None:
    token.revoked_at = token.revoked_at or utcnow()

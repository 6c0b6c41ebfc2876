"""TOTP second factor with recovery codes (stored as argon2 hashes, each usable once)."""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa

from rom.extensions import db
from rom.models import StaffUser
from rom.services.accounts import _hasher

RECOVERY_CODES = 8


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_qr(user: StaffUser, secret: str, issuer: str) -> str:
    """An inline SVG QR code rendered on the server (no external service sees the secret)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return segno.make(uri, error="m").svg_inline(scale=4, title="TOTP")


def matching_step(secret: str, code: str, now: datetime | None = None) -> int | None:
    """The time step (of now, the one before or the one after) whose code this is, or None."""
    totp = pyotp.TOTP(secret)
    typed = code.strip().replace(" ", "")
    current = totp.timecode(now or datetime.now(UTC))
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def accept_code(user: StaffUser, code: str) -> bool:
    """A code is accepted once: its time step must be later than the last one accepted, and
    the step is claimed with a conditional UPDATE, so two requests racing with one code (two
    workers) cannot both pass."""
    step = matching_step(user.totp_secret or "", code) if user.totp_secret else None
    if step is None:
        return False
    claimed = db.session.execute(
        sa.update(StaffUser)
        .where(
            StaffUser.id == user.id,
            sa.or_(StaffUser.totp_last_step.is_(None), StaffUser.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def enrol(user: StaffUser, secret: str, step: int) -> list[str]:
    """Store the secret, the step of the code that confirmed it (used up) and fresh recovery
    codes (returned once, stored hashed)."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    user.totp_secret = secret
    user.totp_last_step = step
    user.recovery_codes = [_hasher.hash(code) for code in codes]
    return codes


def use_recovery_code(user: StaffUser, code: str) -> bool:
    for stored in list(user.recovery_codes or []):
        try:
            _hasher.verify(stored, code.strip())
        except Exception:
            continue
        user.recovery_codes = [c for c in user.recovery_codes if c != stored]
        return True
    return False

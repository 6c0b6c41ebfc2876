"""TOTP second factor with recovery codes (stored as argon2 hashes, each usable once)."""

from __future__ import annotations

import secrets

import pyotp
import segno

from rom.models import StaffUser
from rom.services.accounts import _hasher

RECOVERY_CODES = 8


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_qr(user: StaffUser, secret: str, issuer: str) -> str:
    """An inline SVG QR code rendered on the server (no external service sees the secret)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)
    return segno.make(uri, error="m").svg_inline(scale=4, title="TOTP")


def code_matches(secret: str, code: str) -> bool:
    return pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1)


def enrol(user: StaffUser, secret: str) -> list[str]:
    """Store the secret and fresh recovery codes (returned once, stored hashed)."""
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    user.totp_secret = secret
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

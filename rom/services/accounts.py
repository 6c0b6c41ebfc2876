"""Staff accounts: argon2 password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from rom.models import Role, StaffUser

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: StaffUser, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password)
    except VerificationError:
        return False


def new_staff_user(
    email: str, name: str, role: Role, password: str, language: str = "nl"
) -> StaffUser:
    """A staff user to add to the caller's transaction."""
    return StaffUser(
        email=email.lower(),
        name=name,
        role=role,
        password_hash=hash_password(password),
        language=language,
    )

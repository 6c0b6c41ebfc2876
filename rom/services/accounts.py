"""Staff accounts: argon2 password hashes."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from rom.models import Role, StaffUser

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


_UNKNOWN_ACCOUNT = _hasher.hash("no account has this password")


def password_matches(user: StaffUser | None, password: str) -> bool:
    """Whether the password is the user's. An unknown address costs the same argon2 work as a
    known one, so the time of the answer does not tell which accounts exist."""
    try:
        return _hasher.verify(user.password_hash if user else _UNKNOWN_ACCOUNT, password) and (
            user is not None
        )
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

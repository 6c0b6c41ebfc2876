"""Staff accounts: created without a password and completed through a one-time link, argon2
password hashes, roles, deactivation (never deletion: the audit keeps pointing at accounts),
and the rule that an organisation always keeps an active administrator."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

from rom.extensions import db
from rom.links import link_to
from rom.models import AccountLink, LinkPurpose, Role, StaffUser, utcnow
from rom.refusals import Refusal
from rom.services import staff_sessions
from rom.services.passwords import check_password
from rom.tokens import new_token, token_hash

_hasher = PasswordHasher()
_UNKNOWN_ACCOUNT = _hasher.hash("no account has this password")
NO_PASSWORD = ""  # an account whose holder has not set a password yet
LINK_HOURS = 24


class AccountError(Refusal):
    """The change cannot be made as asked; nothing was changed. The message is translated
    when shown."""


def new_nonce() -> str:
    """A single sign-on request's nonce: the ID token must carry it back."""
    return secrets.token_urlsafe(24)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(user: StaffUser | None, password: str) -> bool:
    """Whether the password is the user's. An unknown address, or an account without a password
    yet, costs the same argon2 work as a known one, so the answer's time tells nothing."""
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        return _hasher.verify(stored or _UNKNOWN_ACCOUNT, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_staff_user(
    email: str, name: str, roles: Role | Iterable[Role], password: str, language: str = "nl"
) -> StaffUser:
    """A staff user with a password, to add to the caller's transaction (demo and tests)."""
    return StaffUser(
        email=email.lower(),
        name=name,
        roles=_role_set(roles),
        password_hash=hash_password(password),
        language=language,
    )


def account_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(sa.select(StaffUser).where(StaffUser.email == email.strip().lower()))


def _role_set(roles: Role | Iterable[Role]) -> frozenset[Role]:
    return frozenset([Role(roles)] if isinstance(roles, str) else (Role(r) for r in roles))


def add_account(
    email: str, name: str, roles: Role | Iterable[Role], language: str = "nl"
) -> StaffUser:
    """A new account without a password (its holder sets one through a link)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        raise AccountError(_l("Vul een geldig e-mailadres in."))
    if account_by_email(email) is not None:
        raise AccountError(_l("Er is al een account met dit e-mailadres."))
    user = StaffUser(
        email=email,
        name=name.strip() or email.split("@")[0],
        roles=_role_set(roles),
        password_hash=NO_PASSWORD,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    return user


def issue_link(user: StaffUser, purpose: LinkPurpose, by: StaffUser | None = None) -> str:
    """A one-time link's token (valid 24 hours); earlier unused links of the account lapse."""
    now = utcnow()
    db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.staff_id == user.id, AccountLink.used_at.is_(None))
        .values(expires_at=now)
    )
    token, hashed = new_token()
    db.session.add(
        AccountLink(
            staff_id=user.id,
            purpose=purpose,
            token_hash=hashed,
            created_by_id=by.id if by else None,
            expires_at=now + timedelta(hours=LINK_HOURS),
        )
    )
    db.session.flush()
    return token


def link_url(token: str) -> str:
    return link_to("staff.account_link", token=token)


def open_link(token: str) -> AccountLink | None:
    """The link while it is unused and unexpired, for an active account; else None."""
    link = db.session.scalar(
        sa.select(AccountLink).where(AccountLink.token_hash == token_hash(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    user = db.session.get(StaffUser, link.staff_id)
    return link if user is not None and user.active else None


def set_password(link: AccountLink, password: str) -> StaffUser:
    """Set the account's password through its link (used up, claimed with a conditional UPDATE
    so two tabs cannot both use it); every session of the account ends."""
    user = db.session.get(StaffUser, link.staff_id)
    check_password(
        password,
        email=user.email,
        name=user.name,
        organisation=current_app.config["ORGANISATION_NAME"],
    )
    claimed = db.session.execute(
        sa.update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise AccountError(_l("Deze link is al gebruikt."))
    user.password_hash = hash_password(password)
    staff_sessions.end_all(user, "password_set")
    return user


def active_admins() -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(StaffUser)
        .where(StaffUser.holding(Role.ADMIN), StaffUser.active)
    )


def _keep_an_admin(user: StaffUser) -> None:
    if user.has_role(Role.ADMIN) and user.active and active_admins() <= 1:
        raise AccountError(
            _l("Dit is de laatste actieve beheerder: maak eerst iemand anders beheerder.")
        )


def change_roles(user: StaffUser, roles: Iterable[Role]) -> None:
    """Grant exactly these roles (at least one); the last active administrator keeps theirs."""
    wanted = _role_set(roles)
    if not wanted:
        raise AccountError(_l("Kies ten minste één rol."))
    if Role.ADMIN not in wanted:
        _keep_an_admin(user)
    user.roles = wanted


def deactivate(user: StaffUser) -> int:
    """Deactivate the account and end its sessions; returns how many were live."""
    _keep_an_admin(user)
    user.active = False
    return staff_sessions.end_all(user, "deactivated")


def reactivate(user: StaffUser) -> None:
    user.active = True


def reset_second_factor(user: StaffUser) -> int:
    """The account enrols a new second factor at its next login; its sessions end."""
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_codes = []
    return staff_sessions.end_all(user, "second_factor_reset")


def reset_password(user: StaffUser, by: StaffUser | None) -> str:
    """The password stops working at once, every session ends, and a link to set a new one is
    returned."""
    user.password_hash = NO_PASSWORD
    staff_sessions.end_all(user, "password_reset")
    return issue_link(user, LinkPurpose.RESET, by)

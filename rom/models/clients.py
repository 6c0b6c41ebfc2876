from __future__ import annotations

import enum
import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from rom.models.base import Base, enum_type, utcnow

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
"""A member code everywhere (forms, API, import): letters, digits, '_', '.' and '-', at most 40
long, starting with a letter or digit; safe in a path segment and in a spreadsheet cell. This
spelling is for documents (JSON Schema); CODE_TEXT is the same rule, anchored for Python."""
CODE_TEXT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}\Z")


def is_member_code(code: str) -> bool:
    return bool(CODE_TEXT.match(code))


class Language(enum.StrEnum):
    NL = "nl"
    EN = "en"


class Client(Base):
    """A person in group treatment, known to managers and exports only by a pseudonymous code."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    first_name: Mapped[str | None] = mapped_column(sa.String(80))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    language: Mapped[Language] = mapped_column(enum_type(Language), default=Language.NL)
    email_consent: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    sms_consent: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]

    @property
    def reachable_by(self) -> str | None:
        """How Kring may send this client a link: 'email' where they gave an address and agreed
        to e-mail, else 'sms' where they gave a mobile number and agreed to SMS, else None."""
        if self.email and self.email_consent:
            return "email"
        if self.phone and self.sms_consent:
            return "sms"
        return None

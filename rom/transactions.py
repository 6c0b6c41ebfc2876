"""The one transaction rule: services never commit; the edge (a view, an API call, a command, a
scheduled job) commits once, when all its work is done, or rolls all of it back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rom.extensions import db
from rom.refusals import Refusal


@dataclass
class Unit:
    """One edge's unit of work; `refusal` is what a service raised when it declined it."""

    refusal: Refusal | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None

    @property
    def reason(self) -> str:
        """Why it was declined, in the reader's language."""
        return str(self.refusal)


@contextmanager
def committed() -> Iterator[Unit]:
    """Commit what the block did, once; on a Refusal roll all of it back and keep the reason
    (`unit.reason`) for the page to show; on any other error roll back and raise."""
    unit = Unit()
    try:
        yield unit
    except Refusal as refused:
        db.session.rollback()
        unit.refusal = refused
        return
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()

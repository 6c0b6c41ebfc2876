"""A member's answers given without the browser: one page saved as the questionnaire view
saves it (with_page, then save_draft)."""

from __future__ import annotations

from collections.abc import Mapping

from questionnaires import Instrument
from rom.services.invitations import OpenLink
from rom.services.submissions import save_draft, with_page


def save_page(link: OpenLink, instrument: Instrument, form: Mapping[str, str]) -> OpenLink:
    """Put the answers of one page in the invitation's draft and return the link as it now
    stands; the caller commits."""
    return save_draft(with_page(link, instrument, form), instrument.id)

"""The e-mail that carries an account's one-time link (an invitation or a new password), in the
staff member's own language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from rom.extensions import db
from rom.messaging.texts import MessageText, compose
from rom.models import Channel, LinkPurpose, OutboxMessage, StaffUser
from rom.services.accounts import link_url
from rom.tokens import token_hash

TEXTS = {
    LinkPurpose.SETUP: MessageText(
        _l("Kring: uw account"),
        _l(
            "Hallo %(name)s,\n\nEr is een account in Kring voor u aangemaakt. Kies uw wachtwoord "
            "via deze link (24 uur geldig, één keer te gebruiken):\n\n%(link)s\n"
        ),
    ),
    LinkPurpose.RESET: MessageText(
        _l("Kring: nieuw wachtwoord"),
        _l(
            "Hallo %(name)s,\n\nKies een nieuw wachtwoord via deze link (24 uur geldig, één keer "
            "te gebruiken):\n\n%(link)s\n\nHebt u dit niet gevraagd? Dan kunt u dit bericht "
            "negeren.\n"
        ),
    ),
}


def queue_account_link(user: StaffUser, token: str, purpose: LinkPurpose) -> OutboxMessage:
    """Queue the e-mail in the caller's transaction (the outbox sends it)."""
    subject, body = compose(TEXTS[purpose], user.language, name=user.name, link=link_url(token))
    message = OutboxMessage(
        dedupe_key=f"account:{token_hash(token)[:32]}",
        purpose="account",
        channel=Channel.EMAIL,
        recipient=user.email,
        subject=subject,
        body=body,
    )
    db.session.add(message)
    return message

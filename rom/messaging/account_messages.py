"""The e-mail that carries an account's one-time link (an invitation or a new password)."""

from __future__ import annotations

from rom.extensions import db
from rom.models import Channel, LinkPurpose, OutboxMessage, StaffUser
from rom.services.accounts import link_url
from rom.tokens import token_hash

TEXTS = {
    (LinkPurpose.SETUP, "nl"): (
        "Kring: uw account",
        "Hallo {name},\n\nEr is een account in Kring voor u aangemaakt. Kies uw wachtwoord via "
        "deze link (24 uur geldig, één keer te gebruiken):\n\n{link}\n",
    ),
    (LinkPurpose.SETUP, "en"): (
        "Kring: your account",
        "Hello {name},\n\nAn account in Kring has been made for you. Choose your password with "
        "this link (valid for 24 hours, to be used once):\n\n{link}\n",
    ),
    (LinkPurpose.RESET, "nl"): (
        "Kring: nieuw wachtwoord",
        "Hallo {name},\n\nKies een nieuw wachtwoord via deze link (24 uur geldig, één keer te "
        "gebruiken):\n\n{link}\n\nHebt u dit niet gevraagd? Dan kunt u dit bericht negeren.\n",
    ),
    (LinkPurpose.RESET, "en"): (
        "Kring: new password",
        "Hello {name},\n\nChoose a new password with this link (valid for 24 hours, to be used "
        "once):\n\n{link}\n\nDid you not ask for this? Then you can ignore this message.\n",
    ),
}


def queue_account_link(user: StaffUser, token: str, purpose: LinkPurpose) -> OutboxMessage:
    """Queue the e-mail in the caller's transaction (the outbox sends it)."""
    subject, body = TEXTS[(purpose, user.language if user.language == "en" else "nl")]
    message = OutboxMessage(
        dedupe_key=f"account:{token_hash(token)[:32]}",
        purpose="account",
        channel=Channel.EMAIL,
        recipient=user.email,
        subject=subject,
        body=body.format(name=user.name, link=link_url(token)),
    )
    db.session.add(message)
    return message

"""What a service raises when it declines the work it was asked to do.

A service checks before it changes anything, so a refusal leaves the session as it found it; the
edge rolls back all the same (rom/transactions.py) and shows the reason: beside the form field
for a staff page, as a 409 problem under /api, as an error line for a command.
"""

from __future__ import annotations


class Refusal(ValueError):  # noqa: N818  (an answer the service gives, not a fault)
    """The work cannot be done as asked; nothing was changed. The message (often a lazy
    translation) says why, in the reader's language when shown."""

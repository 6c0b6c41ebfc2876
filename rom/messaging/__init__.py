"""Messages out of Kring: the outbox (the only way out), senders, and message texts."""

"""No e-mail address, phone number or link token ever reaches a log line."""

import logging

import pytest

from rom.logs import RedactingFilter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sent to anna.jansen@example.nl ok", "sent to [e-mail] ok"),
        ("sms to +31 6 12345678 queued", "sms to [phone] queued"),
        ('"GET /q/Xy7_abc-DEF123 HTTP/1.1" 200', '"GET /q/[token] HTTP/1.1" 200'),
        (
            "session 12 of group G011001 at 2026-03-02 20:15",
            "session 12 of group G011001 at 2026-03-02 20:15",
        ),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_filter_redacts_arguments_as_well(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("kring.test")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="kring.test"):
        logger.info("invitation for %s via %s", "m.devries@example.com", "0612345678")
    assert caplog.messages == ["invitation for [e-mail] via [phone]"]

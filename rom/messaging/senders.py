"""Senders: e-mail over SMTP from the settings; without settings nothing is sent."""

from __future__ import annotations

import json
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import Any, Protocol

from rom.models import Channel


class DeliveryError(RuntimeError):
    """The message could not be handed over; it stays in the outbox for a retry."""


class Sender(Protocol):
    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None: ...

    def close(self) -> None: ...


class SmtpSender:
    """SMTP with optional STARTTLS or implicit TLS and login: a connection per sending thread,
    kept for a batch of messages, so several threads can hand messages over at once."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.host = config["SMTP_HOST"]
        self.port = int(config.get("SMTP_PORT") or 25)
        self.security = config.get("SMTP_SECURITY", "none")  # none / starttls / tls
        self.username = config.get("SMTP_USERNAME") or ""
        self.password = config.get("SMTP_PASSWORD") or ""
        self.sender = config.get("MAIL_FROM", "kring@localhost")
        self.timeout = float(config.get("SMTP_TIMEOUT", 10))
        self._local = threading.local()
        self._open: list[smtplib.SMTP] = []
        self._lock = threading.Lock()

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None:
        """One message; the Message-ID is stable, so a resend after a crash is the same mail."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, recipient, subject
        message["Message-ID"] = message_id
        message.set_content(body)
        try:
            self._connection().send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            self._drop_connection()  # a broken connection is not reused
            raise DeliveryError(f"{type(error).__name__}: {error}") from error

    def _connection(self) -> smtplib.SMTP:
        """This thread's connection (opened on first use)."""
        smtp = getattr(self._local, "smtp", None)
        if smtp is None:
            smtp = self._connect()
            if self.username:
                smtp.login(self.username, self.password)
            self._local.smtp = smtp
            with self._lock:
                self._open.append(smtp)
        return smtp

    def _drop_connection(self) -> None:
        smtp = getattr(self._local, "smtp", None)
        self._local.smtp = None
        if smtp is not None:
            with self._lock:
                self._open.remove(smtp)
            _quit(smtp)

    def close(self) -> None:
        """Close every thread's connection (the batch is over)."""
        with self._lock:
            connections, self._open = self._open, []
            self._local = threading.local()
        for smtp in connections:
            _quit(smtp)

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


class HttpSmsSender:
    """SMS through a provider's HTTP API: a JSON POST with a bearer key (URL and key from the
    settings); any 2xx answer means the provider accepted the message."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.url = config["SMS_URL"]
        self.key = config.get("SMS_API_KEY") or ""
        self.sender = config.get("SMS_SENDER", "Kring")
        self.timeout = float(config.get("SMS_TIMEOUT", 10))

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None:
        payload = json.dumps(
            {"to": recipient, "from": self.sender, "text": body, "reference": message_id}
        ).encode()
        request = urllib.request.Request(
            self.url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                answer.read()
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        """Nothing is kept open between messages."""


class ConsoleSender:
    """The demo's 'delivery': the message printed on the console (standard output, not the log,
    which redacts links), so a demo user can click it. Enabled only by ROM_CONSOLE_MESSAGES."""

    def send(self, recipient: str, subject: str, body: str, message_id: str) -> None:
        print(f"--- message {message_id} to {recipient}: {subject}\n{body}", flush=True)

    def close(self) -> None:
        """Nothing to close."""


Senders = dict[Channel, Sender]


def configured_senders(config: dict[str, Any]) -> Senders:
    """A sender per channel that has settings; messages of other channels wait in the outbox."""
    senders: Senders = {}
    if config.get("SMTP_HOST"):
        senders[Channel.EMAIL] = SmtpSender(config)
    if config.get("SMS_URL"):
        senders[Channel.SMS] = HttpSmsSender(config)
    if config.get("CONSOLE_MESSAGES"):
        for channel in Channel:
            senders.setdefault(channel, ConsoleSender())
    return senders

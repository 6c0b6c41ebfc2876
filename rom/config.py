"""Settings: defaults that run out of the box, overridden by ROM_* environment variables."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, ClassVar

from flask import Flask


class Config:
    ENV = "development"
    DATABASE_URL = ""  # empty: an SQLite file in the instance folder
    SECRET_KEY = ""  # empty: generated once and kept in the instance folder (not in production)
    ORGANISATION_NAME = "Kring"
    TIMEZONE = "Europe/Amsterdam"
    BASELINE_YEAR = 2025  # group treatment volume is compared with this year (national aim)
    BASE_URL = "http://127.0.0.1:5000"
    FHIR_BASE = (
        ""  # canonical base of the FHIR resources; empty: BASE_URL/api/v1/fhir, served there
    )
    INSTRUMENTS_DIR = ""  # an organisation's own instrument files, beside the shipped ones
    RATELIMIT_STORAGE_URI = "kring-memory://"  # in process (rom/rate_limits.py); redis:// for more
    QUESTIONNAIRE_RATE_LIMIT = "60 per minute"  # per link and per address
    HELP_LINES: ClassVar[dict[str, list[str]]] = {  # shown after a critical answer
        "nl": [
            "Bel of chat met 113 Zelfmoordpreventie: 113 of gratis 0800-0113 (dag en nacht).",
            "Bel uw huisarts, of buiten kantoortijd de huisartsenpost.",
            "Bij direct gevaar: bel 112.",
        ],
        "en": [
            "Call or chat with 113 Suicide Prevention: 113 or free on 0800-0113 (day and night).",
            "Call your GP (huisarts), or outside office hours the GP out-of-hours service "
            "(huisartsenpost).",
            "In immediate danger: call 112.",
        ],
    }
    SMTP_HOST = ""  # empty: messages stay in the outbox (development outbox page, console)
    SMTP_PORT = 25
    SMTP_SECURITY = "none"  # none, starttls or tls
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    MAIL_FROM = "Kring <kring@localhost>"
    CONSOLE_MESSAGES = False  # demo: print messages without SMTP/SMS settings (make run sets it)
    SMS_URL = ""  # the SMS provider's HTTP endpoint; empty: SMS messages wait in the outbox
    SMS_API_KEY = ""
    SMS_SENDER = "Kring"
    PLANNING_HORIZON_DAYS = 3
    SCHEDULER_LEASE_SECONDS = 60
    SCHEDULER_PLAN_SECONDS = 900
    SCHEDULER_DELIVER_SECONDS = 30
    SCHEDULER_CLOSE_SECONDS = 300  # how soon flags follow a session's closed questionnaires
    SCHEDULER_FLAGS_SECONDS = 3600
    SCHEDULER_DIGEST_SECONDS = 86400
    SCHEDULER_REPORT_SECONDS = 10  # how soon a report asked for on the reports page is prepared
    SCHEDULER_FIGURES_SECONDS = 3600  # the management dashboard's usual periods prepared
    REPORT_MEMORY_MB = 0  # a cap on the process preparing one (0: none; at 100k members ~6 GB)
    BRIEFING_NOTICE_HOURS = 3  # therapists get the briefing's link this long before a session
    DELIVERY_CLAIM_SECONDS = 300  # a message claimed by a crashed sender is retried after this
    DELIVERY_CONNECTIONS = 4  # messages handed over to the mail relay (or SMS provider) at once
    REQUIRE_SECOND_FACTOR = False  # always required when ENV=production
    API_RATE_LIMIT = "600 per minute"  # per token
    LOGIN_ADDRESS_LIMIT = "30 per minute"  # failed logins and codes from one address
    LOGIN_ACCOUNT_ADDRESS_LIMIT = "5 per 15 minutes"  # failed passwords for one account from one
    LOGIN_ACCOUNT_LIMIT = "100 per day"  # failed passwords for one account (NIST SP 800-63B)
    SECOND_FACTOR_ACCOUNT_LIMIT = "5 per 15 minutes; 20 per day"  # failed codes per account
    STAFF_SESSION_IDLE_SECONDS = 1800  # a staff session ends after 30 minutes without a request
    STAFF_SESSION_ABSOLUTE_SECONDS = 12 * 3600  # and 12 hours after login, whatever happens
    PERMANENT_SESSION_LIFETIME = 12 * 3600  # the cookie's own lifetime; the server decides first
    SESSION_COOKIE_HTTPONLY = True
    MAX_CONTENT_LENGTH = 1024 * 1024  # no request Kring serves needs more; larger ones get 413
    MAX_FORM_MEMORY_SIZE = 256 * 1024  # one form field's text
    MAX_FORM_PARTS = 1000
    CRITICAL_ACTION_HOURS = 24  # a critical flag nobody acted on is overdue after this: the
    # group's therapists are e-mailed again, and after twice this the backup below
    CRITICAL_BACKUP_EMAIL = ""  # the organisation's named backup for overdue critical flags
    PRINTED_MEMBERS = "first_names"  # a printed briefing names members by "first_names" or "codes"
    INTAKE_ACCESS = "therapists"  # who works the waiting list: every therapist, or "intake" staff
    OIDC_ISSUER = ""  # single sign-on: the organisation's OpenID Provider (empty: off)
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_LABEL = ""  # "Inloggen via <label>"; empty: the organisation's name
    OIDC_EMAIL_CLAIM = "email"  # the claim that must match a Kring account's e-mail address
    OIDC_CREATE_ACCOUNTS = ""  # "therapist": an unknown verified address gets a therapist account
    OIDC_MFA_ACR = ()  # acr values that assert multi-factor authentication (amr "mfa" always does)
    OIDC_LEEWAY_SECONDS = 30  # clock skew allowed on the ID token's times
    TRUSTED_PROXIES = 0  # reverse proxies in front of Kring whose X-Forwarded-* are believed
    SESSION_COOKIE_SAMESITE = "Lax"


class ConfigError(RuntimeError):
    """The settings do not allow the application to start safely."""


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, then the environment (ROM_*), then the test mapping."""
    app.config.from_object(Config)
    app.config.from_prefixed_env("ROM")
    if overrides:
        app.config.update(overrides)
    app.config["ENV"] = environment(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app))
    app.config["SECRET_KEY"] = secret_key(app)
    app.config["SESSION_COOKIE_SECURE"] = app.config["ENV"] == "production"
    if app.config["ENV"] == "production":
        app.config["REQUIRE_SECOND_FACTOR"] = True


ENVIRONMENTS = ("development", "production")
MINIMUM_SECRET_LENGTH = 32


def environment(app: Flask) -> str:
    """'development' or 'production' (any case); anything else is refused, so a misspelt
    production never runs silently as development."""
    value = str(app.config.get("ENV") or "").strip().lower()
    if value not in ENVIRONMENTS:
        raise ConfigError(f"ROM_ENV must be one of {', '.join(ENVIRONMENTS)}, not {value!r}")
    return value


def database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or ""
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'kring.sqlite3'}"


def engine_options(app: Flask) -> dict[str, Any]:
    """A server's connections can drop between requests, so they are checked before use; an
    SQLite file cannot, and the check would cost every request a query."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return {}
    return {"pool_pre_ping": True}


def secret_key(app: Flask) -> str:
    """The configured key; outside production a key generated once and kept in instance/."""
    key = str(app.config.get("SECRET_KEY") or "")
    production = app.config["ENV"] == "production"
    if key and production and (len(key) < MINIMUM_SECRET_LENGTH or len(set(key)) < 8):
        raise ConfigError(
            f"ROM_SECRET_KEY is too weak for production: use at least {MINIMUM_SECRET_LENGTH} "
            "random characters (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if key:
        return key
    if production:
        raise ConfigError("ROM_SECRET_KEY must be set when ROM_ENV=production")
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()

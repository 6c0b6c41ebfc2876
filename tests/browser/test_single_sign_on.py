"""Single sign-on against a real OpenID Provider (npm oidc-provider on loopback), through
Chromium: a verified address that matches an active account signs in (without Kring's own second
factor when the provider asserted multi-factor authentication, with it otherwise); a replayed
callback, an unknown address, an unverified address and a deactivated account are refused and
audited; an ID token for another client (wrong audience) and an expired one are refused by
Kring's verification. Without ROM_OIDC_* the login page is as before."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from joserfc.errors import ExpiredTokenError, InvalidClaimError
from werkzeug.serving import make_server

from rom import create_app
from rom.extensions import db
from rom.models import AuditEvent, StaffUser
from rom.staff.single_sign_on import verified_claims
from tests import oidc_provider
from tests.conftest import require
from tests.personas import cast
from tests.postgres import _free_port

KRING = {"client_id": "kring", "client_secret": "kring-secret-for-tests"}
OTHER = {"client_id": "other", "client_secret": "other-secret-for-tests"}
ACCOUNTS = [
    {"sub": "anna", "email": "anna@kring.test", "email_verified": True, "amr": ["pwd", "mfa"]},
    {"sub": "bram", "email": "bram@kring.test", "email_verified": True, "amr": ["pwd"]},
    {"sub": "carla", "email": "carla@kring.test", "email_verified": True, "amr": ["pwd", "mfa"]},
    {"sub": "mila", "email": "mila@kring.test", "email_verified": False, "amr": ["pwd", "mfa"]},
    {"sub": "nobody", "email": "nobody@kring.test", "email_verified": True, "amr": ["mfa"]},
]


@dataclass
class SignOn:
    app: Flask
    live: str
    issuer: str

    @property
    def callback(self) -> str:
        return f"{self.live}/staff/login/sso/callback"


@pytest.fixture
def sign_on(sqlite_only: Flask) -> Iterator[SignOn]:
    """Kring configured for single sign-on with the provider, served on a free port, with the
    test cast as its staff (Carla deactivated); second factors required, as in production."""
    require(oidc_provider.available(), "node and tests/oidc/node_modules (make test installs)")
    port = _free_port()
    live = f"http://127.0.0.1:{port}"
    clients = [
        KRING | {"redirect_uris": [f"{live}/staff/login/sso/callback"]},
        OTHER | {"redirect_uris": ["http://127.0.0.1:9/elsewhere"]},
    ]
    with oidc_provider.provider(clients, ACCOUNTS) as issuer:
        app = create_app(
            {
                "DATABASE_URL": sqlite_only.config["SQLALCHEMY_DATABASE_URI"],
                "TESTING": True,
                "SECRET_KEY": "test-single-sign-on",
                "BASE_URL": live,
                "REQUIRE_SECOND_FACTOR": True,
                "OIDC_ISSUER": issuer,
                "OIDC_CLIENT_ID": KRING["client_id"],
                "OIDC_CLIENT_SECRET": KRING["client_secret"],
                "OIDC_LABEL": "GGZ Voorbeeld",
            }
        )
        with app.app_context():
            team = cast()
            team.carla.active = False
            db.session.commit()
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield SignOn(app, live, issuer)
        finally:
            server.shutdown()


def sign_in(browser, sign_on: SignOn, who: str):
    """Press 'Inloggen via ...' and choose the account at the provider; returns the page."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{sign_on.live}/staff/login")
    page.get_by_role("link", name="Inloggen via GGZ Voorbeeld").click()
    page.click(f'button[value="{who}"]')
    page.wait_for_url(lambda url: url.startswith(sign_on.live) and "/callback" not in url)
    page.wait_for_load_state()
    return page


def audit(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()


def test_an_active_account_signs_in_and_mfa_at_the_provider_counts(browser, sign_on) -> None:
    page = sign_in(browser, sign_on, "anna")
    assert page.url == f"{sign_on.live}/staff/flags"
    assert "Anna (behandelaar)" in page.content()
    [login] = audit(sign_on.app, "login")
    assert login.detail == {"how": "sso"}
    without_mfa = sign_in(browser, sign_on, "bram")
    assert without_mfa.url == f"{sign_on.live}/staff/login/enrol"  # Kring asks its own


def test_a_replayed_callback_is_refused(browser, sign_on) -> None:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    callbacks: list[str] = []
    page.on(
        "request",
        lambda request: (
            callbacks.append(request.url) if request.url.startswith(sign_on.callback) else None
        ),
    )
    page.goto(f"{sign_on.live}/staff/login/sso")
    page.click('button[value="anna"]')
    page.wait_for_url(f"{sign_on.live}/staff/flags")
    thief = browser.new_context(locale="nl-NL").new_page()
    thief.goto(callbacks[0])
    thief.wait_for_load_state()
    assert thief.url == f"{sign_on.live}/staff/login"
    assert "Inloggen via de organisatie is niet gelukt" in thief.content()
    page.goto(callbacks[0])  # the same browser: its state was used up
    assert "Inloggen via de organisatie is niet gelukt" in page.content()
    reasons = [event.detail["reason"] for event in audit(sign_on.app, "sso_refused")]
    assert len(reasons) == 2
    assert all("State" in reason or "grant" in reason for reason in reasons), reasons


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("nobody", "no account"),
        ("carla", "inactive account"),
        ("mila", "no verified e-mail address"),
    ],
)
def test_who_may_not_sign_in_is_refused_and_audited(browser, sign_on, who, reason) -> None:
    page = sign_in(browser, sign_on, who)
    assert page.url == f"{sign_on.live}/staff/login"
    assert "Inloggen via de organisatie is niet gelukt" in page.content()
    [refusal] = audit(sign_on.app, "sso_refused")
    assert refusal.detail["reason"] == reason
    assert "@" not in str(refusal.detail)  # the address is not kept
    with sign_on.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffUser)) == 5


def test_an_id_token_for_another_client_is_refused(sign_on) -> None:
    token, nonce = oidc_provider.id_token(
        sign_on.issuer, OTHER, "anna", "http://127.0.0.1:9/elsewhere"
    )
    with sign_on.app.test_request_context(), pytest.raises(InvalidClaimError, match="aud"):
        verified_claims(token, nonce)
    own, own_nonce = oidc_provider.id_token(sign_on.issuer, KRING, "anna", sign_on.callback)
    with sign_on.app.test_request_context():
        assert verified_claims(own, own_nonce)["email"] == "anna@kring.test"


def test_an_expired_id_token_is_refused(sign_on) -> None:
    token, nonce = oidc_provider.id_token(sign_on.issuer, KRING, "anna", sign_on.callback)
    with sign_on.app.test_request_context():
        assert verified_claims(token, nonce)["sub"] == "anna"
        with time_machine.travel(time.time() + 300 + 31), pytest.raises(ExpiredTokenError):
            verified_claims(token, nonce)


def test_without_single_sign_on_the_login_page_is_as_before(sqlite_only: Flask) -> None:
    page = sqlite_only.test_client().get("/staff/login").get_data(as_text=True)
    assert "Inloggen via" not in page
    assert sqlite_only.test_client().get("/staff/login/sso").status_code == 404

"""Single sign-on through the organisation's OpenID Provider (Entra ID, ADFS, Keycloak): the
authorization code flow with PKCE (Authlib), state and nonce checked, the ID token verified
against the provider's keys, issuer, audience and times. The verified e-mail address must be an
active Kring account's (an account is made only where ROM_OIDC_CREATE_ACCOUNTS says so). When the
provider asserts multi-factor authentication, Kring does not ask its own second factor."""

from __future__ import annotations

from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from rom.audit import record
from rom.extensions import db, limiter
from rom.models import Role, StaffUser
from rom.services import accounts
from rom.staff import bp, throttles
from rom.staff.auth import after_password

PROVIDER = "organisation"
EXTENSION = "kring.oauth"
MFA_AMR = "mfa"  # RFC 8176: multiple-factor authentication


def init_app(app: Flask) -> None:
    """Register the organisation's provider when ROM_OIDC_ISSUER is set; otherwise the login
    page is as without single sign-on and its routes answer 404."""
    if not app.config["OIDC_ISSUER"]:
        return
    oauth = OAuth(app)  # one per application: a client caches its provider's settings
    app.extensions[EXTENSION] = oauth
    oauth.register(
        PROVIDER,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_ISSUER"].rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
    )


def enabled() -> bool:
    return bool(current_app.config["OIDC_ISSUER"])


def label() -> str:
    return current_app.config["OIDC_LABEL"] or current_app.config["ORGANISATION_NAME"]


def _provider() -> Any:
    if not enabled():
        abort(404)
    return current_app.extensions[EXTENSION].create_client(PROVIDER)


@bp.get("/login/sso")
@limiter.limit(throttles.address_rate)
def sso_login() -> Response:
    """To the provider, with a fresh state, nonce and PKCE verifier kept in the session."""
    return _provider().authorize_redirect(
        url_for("staff.sso_callback", _external=True), nonce=accounts.new_nonce()
    )


@bp.get("/login/sso/callback")
@limiter.limit(throttles.address_rate)
def sso_callback() -> Response:
    provider = _provider()
    try:
        token = provider.authorize_access_token(**verification(provider))
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as refused:
        return _refused(f"{type(refused).__name__}: {refused}"[:200])
    claims = token.get("userinfo")
    if not claims:  # no verified ID token (Authlib verifies one only with a nonce)
        return _refused("no verified ID token")
    email = _verified_address(claims)
    if email is None:
        return _refused("no verified e-mail address")
    user = accounts.account_by_email(email) or _new_account(email, claims)
    if user is None:
        return _refused("no account", email_domain=email.rsplit("@", 1)[-1])
    if not user.active:
        return _refused("inactive account", staff=user.id)
    return after_password(user, second_factor_done=_asserted_mfa(claims), how="sso")


def verification(provider: Any) -> dict[str, Any]:
    """How an ID token is checked: this provider's issuer, this client as the audience (Authlib
    checks neither by default once options are given, nor the audience ever), and its times with
    ROM_OIDC_LEEWAY_SECONDS of clock skew (Authlib would allow two minutes)."""
    issuer = provider.load_server_metadata()["issuer"]
    return {
        "claims_options": {
            "iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
        },
        "leeway": current_app.config["OIDC_LEEWAY_SECONDS"],
    }


def verified_claims(token: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The claims of an ID token from the token endpoint, verified as at the callback."""
    provider = _provider()
    return dict(provider.parse_id_token(token, nonce=nonce, **verification(provider)))


def _verified_address(claims: dict[str, Any]) -> str | None:
    name = current_app.config["OIDC_EMAIL_CLAIM"]
    value = claims.get(name)
    if not isinstance(value, str) or "@" not in value:
        return None
    if name == "email" and claims.get("email_verified") is not True:
        return None
    return value.strip().lower()


def _asserted_mfa(claims: dict[str, Any]) -> bool:
    amr = claims.get("amr")
    methods = amr if isinstance(amr, list) else []
    return MFA_AMR in methods or claims.get("acr") in tuple(current_app.config["OIDC_MFA_ACR"])


def _new_account(email: str, claims: dict[str, Any]) -> StaffUser | None:
    if current_app.config["OIDC_CREATE_ACCOUNTS"] != Role.THERAPIST.value:
        return None
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    user = accounts.add_account(email, name or "", Role.THERAPIST)
    record(None, "create", "staff", user.id, actor_kind="sso", roles=[Role.THERAPIST.value])
    return user


def _refused(reason: str, **detail: object) -> Response:
    """Back to the login page with one message; the audit keeps why, never the address."""
    db.session.rollback()
    record(None, "sso_refused", "staff", None, actor_kind="anonymous", reason=reason, **detail)
    db.session.commit()
    flash(
        _(
            "Inloggen via de organisatie is niet gelukt. Neem contact op met uw beheerder als dit "
            "zo blijft."
        )
    )
    return redirect(url_for("staff.login"))

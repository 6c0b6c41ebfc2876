"""A real OpenID Provider (npm oidc-provider, tests/oidc/provider.mjs) on a free loopback port,
with the clients and accounts a test gives it; it logs an account in without a form (the
account's button, or login_hint) and grants consent itself."""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

from tests.postgres import _free_port

FOLDER = Path(__file__).parent / "oidc"


def available() -> bool:
    return shutil.which("node") is not None and (FOLDER / "node_modules" / "oidc-provider").exists()


STARTS = 3  # node has, rarely, hung at start-up before listening: start it again
READY_SECONDS = 20


@contextmanager
def provider(
    clients: list[dict], accounts: list[dict], id_token_seconds: int = 300
) -> Iterator[str]:
    """Start the provider; yields its issuer URL."""
    for _ in range(STARTS):
        port = _free_port()
        issuer = f"http://127.0.0.1:{port}"
        settings = {
            "issuer": issuer,
            "port": port,
            "clients": clients,
            "accounts": accounts,
            "idTokenTtl": id_token_seconds,
        }
        process = subprocess.Popen(
            ["node", "provider.mjs", json.dumps(settings)],
            cwd=FOLDER,
            env=os.environ,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        if _said_ready(process):
            break
        process.kill()
        process.wait(timeout=10)
    else:
        raise RuntimeError(f"the OpenID Provider did not start in {STARTS} tries")
    try:
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _said_ready(process: subprocess.Popen) -> bool:
    """Whether the provider printed READY within READY_SECONDS (never blocks longer)."""
    readable, _, _ = select.select([process.stdout], [], [], READY_SECONDS)
    return bool(readable) and process.stdout.readline().startswith("READY")


def id_token(issuer: str, client: dict, hint: str, redirect_uri: str) -> tuple[dict, str]:
    """A real token response (with its ID token) for a client, through the provider's own
    authorization and token endpoints, without a browser; returns it with the nonce it carries."""
    import requests
    from authlib.integrations.requests_client import OAuth2Session

    session = OAuth2Session(
        client["client_id"],
        client["client_secret"],
        scope="openid email profile",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
    url, _ = session.create_authorization_url(
        f"{issuer}/auth", code_verifier=verifier, nonce=nonce, login_hint=hint
    )
    browser = requests.Session()
    reply = browser.get(url, allow_redirects=False, timeout=10)
    while not reply.headers["Location"].startswith(redirect_uri):
        reply = browser.get(
            urljoin(reply.url, reply.headers["Location"]), allow_redirects=False, timeout=10
        )
    token = session.fetch_token(
        f"{issuer}/token", authorization_response=reply.headers["Location"], code_verifier=verifier
    )
    return dict(token), nonce

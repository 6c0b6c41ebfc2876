"""Links that leave Kring in a message or a document, built by Flask's URL map at the
organisation's own address (ROM_BASE_URL), in a request or in a job alike."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def link_to(endpoint: str, **values: object) -> str:
    """The full URL of an endpoint at ROM_BASE_URL (e.g. https://rom.example.nl/staff/flags)."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)

"""Dash callbacks as dash-renderer sends them from the test client: the CSRF header a dashboard
page hands out, the body of the group callback, and the post."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def csrf_header(client: FlaskClient, path: str) -> dict[str, str]:
    """Open the dashboard page as the browser does; it hands out the token Dash echoes."""
    client.get(path)
    token = client.get_cookie("_csrf_token", path=path)
    return {"X-CSRFToken": token.value} if token else {}


def group_callback_body(
    client: FlaskClient, group_id: object, member: str = ""
) -> dict[str, object]:
    """The body dash-renderer sends for the group callback (the group and member are read from
    the address), built from _dash-dependencies."""
    dependencies = client.get("/dash/group/_dash-dependencies").get_json()
    callback = next(d for d in dependencies if "group-overview.figure" in d["output"])
    search = f"?group={group_id}" + (f"&member={member}" if member else "")
    return {
        "output": callback["output"],
        "outputs": [
            {"id": part.split(".")[0], "property": part.split(".")[1]}
            for part in callback["output"].strip(".").split("...")
        ],
        "inputs": [{"id": "group-url", "property": "search", "value": search}],
        "changedPropIds": ["group-url.search"],
        "state": [],
    }


def post_callback(
    client: FlaskClient, body: dict[str, object], headers: dict[str, str]
) -> TestResponse:
    return client.post(
        "/dash/group/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )

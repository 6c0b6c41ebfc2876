"""Staff forms filled in as a therapist would: a new group, a referral to the waiting list and
the judgement of its suitability."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from rom.extensions import db
from tests.staff_session import csrf

REFERRAL: dict[str, object] = {
    "code": "W100",
    "first_name": "Noor",
    "email": "noor@example.org",
    "phone": "",
    "language": "nl",
    "kind": "skills",
    "availability": ["0:morning", "3:evening"],
    "referrer": "Huisarts De Boer",
    "referred_on": "2026-09-01",
    "notes": "Sociale angst; wil graag in een groep.",
}
JUDGED_SUITABLE: dict[str, str] = {
    "motivation": "sufficient",
    "reflection": "sufficient",
    "social_functioning": "doubtful",
    "language_and_cognition": "sufficient",
    "decision": "suitable",
    "reason": "Gemotiveerd; de groep past bij de hulpvraag.",
}


def group_form(client: FlaskClient, **changes: str) -> dict[str, str]:
    anna = db.session.scalar(sa.text("SELECT id FROM staff_users WHERE email = 'anna@kring.test'"))
    return {
        "csrf_token": csrf(client, "/staff/groups/new"),
        "code": "GN",
        "name": "Nieuwe groep",
        "kind": "psychotherapy",
        "format": "closed",
        "planned_sessions": "16",
        "intended_size": "8",
        "minimum_size": "4",
        "language": "nl",
        "start_date": "2027-01-11",
        "start_time": "14:30",
        "therapists": str(anna),
        "battery_id": "0",
    } | changes


def refer(client: FlaskClient, **change: object) -> TestResponse:
    data = REFERRAL | change | {"csrf_token": csrf(client, "/staff/waiting-list/new")}
    return client.post("/staff/waiting-list/new", data=data)


def judge(client: FlaskClient, referral_id: int, **change: object) -> TestResponse:
    path = f"/staff/referrals/{referral_id}"
    return client.post(path, data=JUDGED_SUITABLE | change | {"csrf_token": csrf(client, path)})

"""The organisation's individual treatment volume, as a manager meets it: set on a page, a CSV
imported (a bad file changes nothing and names its line beside the field), set by an
integration through the API (bad input refused with problem details, nothing changed), every
change audited, and therapists kept out."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from rom.extensions import db
from rom.models import AuditEvent, VolumeSource, utcnow
from rom.services.api_tokens import create_token
from rom.services.individual_volumes import individual_volumes, record_individual_volume
from tests.api_tokens import bearer
from tests.factories import make_group
from tests.personas import Cast, cast
from tests.staff_session import csrf, log_in

PAGE = "/staff/reports/individual-volume"
API = "/api/v1/individual-volumes"


@pytest.fixture
def team(app: Flask) -> Cast:
    people = cast()
    db.session.commit()
    return people


def manager(client: FlaskClient) -> str:
    """Mila, the manager, logged in; the CSRF key of the page."""
    log_in(client, "mila@kring.test")
    return csrf(client, PAGE)


def upload(client: FlaskClient, token: str, content: bytes) -> TestResponse:
    return client.post(
        f"{PAGE}/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), "volumes.csv")},
        content_type="multipart/form-data",
    )


def beside(page: str, field: str) -> str:
    """The text of the label that holds the named field (its errors are inside it)."""
    for label in re.findall(r"<label>.*?</label>", page, re.DOTALL):
        if f'name="{field}"' in label:
            return label
    raise AssertionError(f"no field {field}")


def audited() -> list[tuple[str | None, str | None, dict]]:
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.subject_type == "individual_volume")
        .order_by(AuditEvent.id)
    )
    return [(e.actor_kind, e.subject_id, e.detail) for e in events]


def test_a_manager_finds_the_page_and_sets_a_year(client: FlaskClient, team: Cast) -> None:
    token = manager(client)
    reports = client.get("/staff/reports").get_data(as_text=True)
    assert f'href="{PAGE}"' in reports
    assert "Nog geen jaren ingevuld." in client.get(PAGE).get_data(as_text=True)
    sent = client.post(PAGE, data={"csrf_token": token, "year": "2025", "sessions": "41250"})
    assert sent.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "2025 is vastgelegd." in page
    assert re.search(r"<td>2025</td><td>41\.250</td>.*?Mila.*?formulier", page, re.DOTALL)
    again = client.post(PAGE, data={"csrf_token": token, "year": "2025", "sessions": "42000"})
    assert again.status_code == 302
    assert individual_volumes() == {2025: 42_000}
    assert [(kind, year, d["previous"], d["sessions"]) for kind, year, d in audited()] == [
        ("staff", "2025", None, 41_250),
        ("staff", "2025", 41_250, 42_000),
    ]


@pytest.mark.parametrize(
    ("year", "sessions", "field", "reason"),
    [
        ("1999", "100", "year", "Kies 2000 tot en met 2100."),
        ("2025", "-1", "sessions", "Kies 0 tot en met 10000000."),
        ("2025", "veel", "sessions", "Vul een heel getal in."),
        ("", "100", "year", "Vul een jaar in."),
    ],
)
def test_a_bad_figure_is_refused_beside_its_field_and_nothing_changes(
    client: FlaskClient, team: Cast, year: str, sessions: str, field: str, reason: str
) -> None:
    record_individual_volume(2025, 41_250, team.mila, VolumeSource.FORM)
    db.session.commit()
    token = manager(client)
    refused = client.post(PAGE, data={"csrf_token": token, "year": year, "sessions": sessions})
    assert refused.status_code == 422
    assert reason in beside(refused.get_data(as_text=True), field)
    assert individual_volumes() == {2025: 41_250}
    assert len(audited()) == 1


def test_a_csv_file_sets_every_year_in_it(client: FlaskClient, team: Cast) -> None:
    token = manager(client)
    sent = upload(client, token, b"jaar,contacten\n2024,38000\n2025,41250\n")
    assert sent.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "Ingelezen jaren: 2." in page
    assert page.count("CSV-bestand</td>") == 2
    assert individual_volumes() == {2024: 38_000, 2025: 41_250}
    assert [(year, d["source"]) for _, year, d in audited()] == [("2024", "csv"), ("2025", "csv")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"year,sessions\n2024,50000\n2101,1\n", "Regel 3: het jaar moet van 2000 tot en met 2100"),
        (b"year,sessions\n2024,50000\n2024,51000\n", "Regel 3: 2024 staat ook op regel 2."),
        (b"year,sessions\n2024,50.000\n", "Regel 2: verwacht een jaar en een heel aantal"),
        ("jaar,contacten\n2024,50000 \xe9\n".encode("latin-1"), "geen CSV-bestand in UTF-8"),
    ],
)
def test_a_bad_file_changes_nothing_and_names_the_line(
    client: FlaskClient, team: Cast, content: bytes, reason: str
) -> None:
    record_individual_volume(2024, 38_000, team.mila, VolumeSource.FORM)
    db.session.commit()
    token = manager(client)
    refused = upload(client, token, content)
    assert refused.status_code == 422
    assert reason in beside(refused.get_data(as_text=True), "file")
    assert individual_volumes() == {2024: 38_000}
    assert len(audited()) == 1


def test_an_upload_without_a_file_asks_for_one(client: FlaskClient, team: Cast) -> None:
    token = manager(client)
    refused = client.post(f"{PAGE}/import", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "Kies een bestand." in beside(refused.get_data(as_text=True), "file")


def test_a_therapist_neither_sees_nor_changes_the_figures(client: FlaskClient, team: Cast) -> None:
    log_in(client, "anna@kring.test")
    token = csrf(client, "/staff/flags")
    assert PAGE not in client.get("/staff/reports").get_data(as_text=True)
    assert client.get(PAGE).status_code == 403
    form = {"csrf_token": token, "year": "2025", "sessions": "1"}
    assert client.post(PAGE, data=form).status_code == 403
    assert upload(client, token, b"year,sessions\n2025,1\n").status_code == 403
    assert client.get(API).status_code == 403
    assert individual_volumes() == {}
    assert audited() == []


def test_an_integration_sets_and_reads_the_years(client: FlaskClient, team: Cast) -> None:
    headers = bearer(scopes=["volumes:read", "volumes:write"])
    created = client.put(f"{API}/2025", json={"sessions": 41_250}, headers=headers)
    assert created.status_code == 201
    assert created.get_json()["sessions"] == 41_250
    replaced = client.put(f"{API}/2025", json={"sessions": 42_000}, headers=headers)
    assert replaced.status_code == 200
    client.put(f"{API}/2024", json={"sessions": 38_000}, headers=headers)
    listed = client.get(API, headers=headers).get_json()
    assert [(v["year"], v["sessions"], v["source"]) for v in listed] == [
        (2024, 38_000, "api"),
        (2025, 42_000, "api"),
    ]
    assert audited()[1] == (
        "token",
        "2025",
        {"sessions": 42_000, "previous": 41_250, "source": "api", "token": "agenda"},
    )
    log_in(client, "mila@kring.test")  # a manager reads the same with her session
    assert [v["year"] for v in client.get(API).get_json()] == [2024, 2025]


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        ("2025", {"sessions": -1}, 422, "sessions"),
        ("2025", {"sessions": "41250"}, 422, "sessions"),
        ("2025", {"sessions": 41250.5}, 422, "sessions"),
        ("2025", {"sessions": 10_000_001}, 422, "sessions"),
        ("2025", {}, 422, "sessions"),
        ("2025", {"sessions": 5, "year": 2024}, 422, "year"),
        ("1999", {"sessions": 5}, 404, None),
    ],
)
def test_a_bad_api_call_gets_problem_details_and_changes_nothing(
    client: FlaskClient, team: Cast, path: str, body: dict, status: int, field: str | None
) -> None:
    record_individual_volume(2025, 41_250, team.mila, VolumeSource.FORM)
    db.session.commit()
    refused = client.put(f"{API}/{path}", json=body, headers=bearer(scopes=["volumes:write"]))
    assert refused.status_code == status
    assert refused.content_type == "application/problem+json"
    if field:
        assert field in str(refused.get_json()["errors"])
    assert individual_volumes() == {2025: 41_250}
    assert len(audited()) == 1


def test_the_api_needs_the_scope_and_a_token_to_write(client: FlaskClient, team: Cast) -> None:
    reader = bearer(scopes=["volumes:read"])
    assert client.put(f"{API}/2025", json={"sessions": 5}, headers=reader).status_code == 403
    assert client.get(API, headers=bearer(scopes=["groups:read"])).status_code == 403
    assert client.get(API).status_code == 401
    log_in(client, "ad@kring.test")
    assert client.put(f"{API}/2025", json={"sessions": 5}).status_code == 401  # a session reads
    assert individual_volumes() == {}


def test_a_token_limited_to_groups_never_reads_or_sets_the_organisations_figures(
    client: FlaskClient, team: Cast
) -> None:
    group = make_group("GV", therapists=(team.anna,))
    with pytest.raises(ValueError, match="limited to groups"):
        create_token("agenda", ["volumes:write"], utcnow() + timedelta(days=1), [group.id])
    stored = create_token("agenda", ["groups:read"], utcnow() + timedelta(days=1), [group.id])
    stored.token.scopes = ["groups:read", "volumes:read", "volumes:write"]  # kept from before
    db.session.commit()
    headers = {"Authorization": f"Bearer {stored.secret}"}
    assert client.put(f"{API}/2025", json={"sessions": 5}, headers=headers).status_code == 403
    assert client.get(API, headers=headers).status_code == 403
    assert individual_volumes() == {}

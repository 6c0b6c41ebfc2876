"""Staff change batteries: admins edit them, a group's therapists choose one; the change counts
from the next planning; bad settings are named and change nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from questionnaires import load_library
from rom.extensions import db
from rom.models import AuditEvent, Battery, BatteryInstrument, Group, GroupKind, Invitation
from rom.services.batteries import default_battery
from rom.services.planning import plan_invitations
from tests.factories import make_group, make_member, make_session
from tests.personas import cast
from tests.staff_session import csrf, log_in
from tests.web.staff_language import switch

SESSION_2 = datetime(2026, 3, 9, 9, 0)
SESSION_3 = SESSION_2 + timedelta(weeks=1)


@pytest.fixture
def team(app: Flask):
    people = cast()
    group_a = make_group("GA", therapists=(people.anna,), name="Groep A", kind="psychotherapy")
    make_group("GB", therapists=(people.carla,), name="Groep B", kind="skills")
    make_member(group_a, "MA1")
    make_session(group_a, 2, start=SESSION_2)
    make_session(group_a, 3, start=SESSION_3)
    db.session.commit()
    return people


def battery_of(code: str) -> Battery:
    return db.session.scalar(sa.select(Group).where(Group.code == code)).battery


def form_for(client: FlaskClient, battery: Battery, **changes: str) -> dict[str, str]:
    """The edit form as the page fills it, with some fields changed."""
    path = f"/staff/batteries/{battery.id}"
    data = {
        "csrf_token": csrf(client, path),
        "name": battery.name,
        "send_offset_hours": str(battery.send_offset_hours),
        "reminder_after_hours": str(battery.reminder_after_hours),
        "expires_after_hours": str(battery.expires_after_hours),
    }
    for n, instrument in enumerate(["phq9", "gad7", "gcq_s", "gcs"]):
        row = next(r for r in battery.instruments if r.instrument_id == instrument)
        data |= {
            f"instruments-{n}-instrument_id": instrument,
            f"instruments-{n}-asked": "y",
            f"instruments-{n}-first_session": str(row.first_session),
            f"instruments-{n}-every": str(row.every),
        }
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def snapshot(battery: Battery) -> tuple:
    db.session.expire_all()
    return (
        battery.name,
        battery.send_offset_hours,
        battery.reminder_after_hours,
        battery.expires_after_hours,
        [(r.instrument_id, r.first_session, r.every) for r in battery.instruments],
    )


def test_an_admin_changes_a_battery_and_the_next_planning_follows_it(
    client: FlaskClient, team
) -> None:
    battery = battery_of("GA")
    plan_invitations(SESSION_2 - timedelta(days=2))  # session 2 is planned with the old battery
    log_in(client, "ad@kring.test")
    page = client.get(f"/staff/batteries/{battery.id}").get_data(as_text=True)
    assert all(f'value="{i}"' in page for i in ("phq9", "gad7", "gcq_s", "gcs"))
    assert 'value="readiness"' not in page  # asked at referral only: not offered for sessions
    response = client.post(
        f"/staff/batteries/{battery.id}",
        data=form_for(
            client,
            battery,
            **{
                "send_offset_hours": "4",
                "expires_after_hours": "60",
                "instruments-3-asked": None,
                "instruments-2-every": "2",
            },
        ),
    )
    assert response.status_code == 302
    listing = client.get("/staff/batteries").get_data(as_text=True)
    assert "Meetschema opgeslagen" in listing
    assert "Versturen 4 uur na de start" in listing
    plan_invitations(SESSION_3 - timedelta(days=2, hours=1))
    by_session = dict(
        db.session.execute(sa.select(Invitation.session_id, Invitation.instrument_ids)).all()
    )
    second, third = sorted(by_session)
    assert by_session[second] == ["phq9", "gad7", "gcq_s", "gcs"]  # planned before: unchanged
    assert by_session[third] == ["phq9", "gad7"]  # GCQ now every 2nd session from 2; GCS off
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "change"))
    assert (event.subject_type, event.subject_id) == ("battery", str(battery.id))


def test_a_battery_saved_with_an_intake_questionnaire_never_asks_it_at_a_session(
    client: FlaskClient, team
) -> None:
    """Saved before the editor refused it: planning leaves it out all the same."""
    battery = battery_of("GA")
    battery.instruments.append(
        BatteryInstrument(instrument_id="readiness", position=9, first_session=1, every=1)
    )
    db.session.commit()
    plan_invitations(SESSION_2 - timedelta(days=2))
    [asked] = db.session.scalars(sa.select(Invitation.instrument_ids)).all()
    assert "readiness" not in asked
    assert asked[:2] == ["phq9", "gad7"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"expires_after_hours": "10", "reminder_after_hours": "20"}, "later verlopen"),
        ({"send_offset_hours": "-48", "expires_after_hours": "30"}, "vóór de sessie begint"),
        (
            {"send_offset_hours": "1"},
            "Groepsklimaat (GCQ-S), Groepscohesie (Kring): vraagt naar de bijeenkomst die net is "
            "geweest; verstuur op zijn vroegst 2 uur na de start van de sessie.",
        ),
        ({"send_offset_hours": "lots"}, "Vul een heel getal in"),
        ({"send_offset_hours": ""}, "Vul een aantal uren in"),
        ({"instruments-0-every": "0"}, "Kies 1 tot en met 12"),
        (
            {f"instruments-{n}-asked": None for n in range(4)},
            "Kies ten minste één vragenlijst",
        ),
        ({"instruments-0-instrument_id": "made-up"}, "Onbekende vragenlijst"),
        (
            {"instruments-0-instrument_id": "readiness"},
            "Klaar voor een groep? (Kring): wordt alleen bij aanmelding gevraagd",
        ),
        (
            {"name": "Gestructureerd: klachten elke sessie, groepsklimaat en cohesie om de sessie"},
            "al een meetschema met deze naam",
        ),
    ],
)
def test_bad_settings_are_named_and_change_nothing(
    client: FlaskClient, team, changes: dict, message: str
) -> None:
    battery = battery_of("GA")
    before = snapshot(battery)
    log_in(client, "ad@kring.test")
    response = client.post(
        f"/staff/batteries/{battery.id}", data=form_for(client, battery, **changes)
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Niet opgeslagen" in page
    assert message in page
    assert snapshot(battery) == before
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "change")
        )
        == 0
    )


def test_an_admin_creates_a_battery_and_a_therapist_chooses_it_for_their_group(
    client: FlaskClient, team
) -> None:
    log_in(client, "ad@kring.test")
    data = {
        "csrf_token": csrf(client, "/staff/batteries/new"),
        "name": "Alleen klachten",
        "send_offset_hours": "2",
        "reminder_after_hours": "24",
        "expires_after_hours": "72",
        "instruments-0-instrument_id": "phq9",
        "instruments-0-asked": "y",
        "instruments-0-first_session": "1",
        "instruments-0-every": "1",
    }
    assert client.post("/staff/batteries/new", data=data).status_code == 302
    created = db.session.scalar(sa.select(Battery).where(Battery.name == "Alleen klachten"))
    assert [r.instrument_id for r in created.instruments] == ["phq9"]
    client.post("/staff/logout", data={"csrf_token": csrf(client, "/staff/groups")})
    log_in(client, "anna@kring.test")
    group_a = db.session.scalar(sa.select(Group).where(Group.code == "GA"))
    path = f"/staff/groups/{group_a.id}/battery"
    response = client.post(path, data={"csrf_token": csrf(client, path), "battery_id": created.id})
    assert response.status_code == 302
    db.session.expire_all()
    assert group_a.battery_id == created.id
    assert "Alleen klachten" in client.get("/staff/groups").get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("anna@kring.test", "/staff/batteries", 200),
        ("mila@kring.test", "/staff/batteries", 200),
        ("anna@kring.test", "/staff/batteries/new", 403),
        ("mila@kring.test", "/staff/batteries/new", 403),
        ("anna@kring.test", "/staff/groups/GB/battery", 404),  # not her group
        ("carla@kring.test", "/staff/groups/GB/battery", 200),
        ("mila@kring.test", "/staff/groups/GB/battery", 403),  # managers do not change groups
        ("ad@kring.test", "/staff/groups/GB/battery", 200),
    ],
)
def test_who_may_change_what(client: FlaskClient, team, who: str, path: str, status: int) -> None:
    group_b = db.session.scalar(sa.select(Group).where(Group.code == "GB"))
    log_in(client, who)
    assert client.get(path.replace("GB", str(group_b.id))).status_code == status


def test_a_battery_asks_about_a_session_only_after_it_and_may_ask_symptoms_before(
    client: FlaskClient, team
) -> None:
    """The climate and cohesion questionnaires ask about the session just held: the editor
    refuses to send them before it is over (in the reader's language, at the send time), while
    a battery of symptom questionnaires alone may go out the day before."""
    battery = battery_of("GA")
    log_in(client, "ad@kring.test")
    switch(client, "en")
    refused = client.post(
        f"/staff/batteries/{battery.id}",
        data=form_for(client, battery, send_offset_hours="-24"),
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert (
        "Group climate (GCQ-S), Group cohesion (Kring): asks about the session just held; send "
        "at the earliest 2 hours after the session starts." in page
    )
    assert "bijeenkomst" not in page
    symptoms_only = form_for(
        client,
        battery,
        send_offset_hours="-24",
        **{"instruments-2-asked": None, "instruments-3-asked": None},
    )
    assert client.post(f"/staff/batteries/{battery.id}", data=symptoms_only).status_code == 302
    assert battery_of("GA").send_offset_hours == -24


def test_the_default_batteries_ask_about_the_session_after_it(team) -> None:
    """The climate and cohesion questionnaires say "the session you have just had": with the
    default battery of every kind of group their link goes out once the session is over."""
    plan_invitations(SESSION_2 - timedelta(days=2))
    [invitation] = db.session.scalars(sa.select(Invitation)).all()
    assert {"gcq_s", "gcs"} <= set(invitation.instrument_ids)
    assert invitation.send_at == SESSION_2 + timedelta(hours=2)
    library = load_library()
    for kind in GroupKind:
        battery = default_battery(kind)
        asks_about_the_session = any(
            library[row.instrument_id].about_the_session for row in battery.instruments
        )
        assert asks_about_the_session
        assert battery.send_offset_hours >= 2

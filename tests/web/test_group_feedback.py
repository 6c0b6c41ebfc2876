"""The anonymous group summary for showing in the group: means recomputed here from the raw
answers, a session with fewer than four answers withheld, no member named; only the group's own
therapists open it, and every view is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.instruments import library
from rom.models import AuditEvent, Client, Membership, utcnow
from rom.services.invitations import open_link
from rom.services.submissions import submit
from tests.factories import make_group, make_invitation, make_session
from tests.personas import cast
from tests.staff_session import log_in

COHESION_ITEMS = range(1, 8)
ANSWERING = {1: 5, 2: 5, 3: 3, 4: 4}  # session → how many of the five members answered
CODES = [f"Q{n}" for n in range(1, 6)]
NAMES = ["Xandra", "Yorick", "Zoë", "Quirine", "Wubbo"]


def _value(member: int, session: int, instrument: str, item: int) -> int:
    if (instrument, item) == ("phq9", 9):
        return 0
    top = max(library()[instrument].item(item).values)
    return (member * 5 + session * 3 + item) % (top + 1)


@pytest.fixture
def cohesion_means(app: Flask) -> dict[int, float]:
    """Five members, four held sessions (climate and cohesion asked from the second on);
    returns each session's cohesion mean as the answers say it (GCS: mean of its seven items)."""
    team = cast()
    group = make_group(code="GF", therapists=(team.anna,), name="Groep Samen", kind="psychotherapy")
    start = utcnow() - timedelta(weeks=4)
    sessions = [make_session(group, n, start + timedelta(weeks=n - 1)) for n in (1, 2, 3, 4)]
    members = []
    for code, name in zip(CODES, NAMES, strict=True):
        member = Membership(client=Client(code=code, first_name=name, language="nl"), group=group)
        db.session.add(member)
        members.append(member)
    db.session.flush()
    means = {}
    for session in sessions:
        per_member = []
        for n, member in enumerate(members[: ANSWERING[session.number]]):
            invitation, token = make_invitation(member, session)
            invitation.draft = {
                i: {
                    str(it.number): _value(n, session.number, i, it.number)
                    for it in library()[i].items
                }
                for i in invitation.instrument_ids
            }
            db.session.flush()
            moment = session.planned_start + timedelta(hours=2)
            submit(open_link(token, now=moment), library(), now=moment)
            if "gcs" in invitation.instrument_ids:
                items = [_value(n, session.number, "gcs", i) for i in COHESION_ITEMS]
                per_member.append(sum(items) / len(items))
        means[session.number] = sum(per_member) / len(per_member) if per_member else None
    db.session.commit()
    return means


def test_the_summary_shows_means_withholds_small_sessions_and_names_no_one(
    client: FlaskClient, cohesion_means: dict[int, float]
) -> None:
    assert cohesion_means[1] is None  # not asked at the first session
    log_in(client, "anna@kring.test")
    group_id = db.session.scalar(sa.text("select id from groups where code = 'GF'"))
    page = client.get(f"/staff/groups/{group_id}/feedback")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rows = {
        int(number): cells
        for number, cells in re.findall(r'<tr><th scope="row">(\d+)</th>(.*?)</tr>', html, re.S)
    }
    for withheld in (1, 3):
        assert "niet getoond: minder dan 4 antwoorden" in rows[withheld]
    for shown in (2, 4):
        assert f"{cohesion_means[shown]:.1f}".replace(".", ",") in rows[shown]
    assert "<td>3</td>" in rows[3]  # how many answered is said, not what they answered
    latest = re.search(r"Samenhang</h2>\s*<p class=\"mean\"><strong>([\d,]+)</strong>", html)
    assert latest.group(1) == f"{cohesion_means[4]:.1f}".replace(".", ",")
    assert f"vorige keer {cohesion_means[2]:.1f}".replace(".", ",") in html
    visible = re.sub(r'<input type="hidden"[^>]*>', "", html)
    for name, code in zip(NAMES, CODES, strict=True):
        assert name not in visible
        assert code not in visible
    audit = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "group_feedback")
    ).all()
    assert len(audit) == 1


@pytest.mark.parametrize(("who", "status"), [("carla", 404), ("mila", 403)])
def test_only_the_groups_own_therapists_open_the_summary(
    client: FlaskClient, cohesion_means: dict[int, float], who: str, status: int
) -> None:
    group_id = db.session.scalar(sa.text("select id from groups where code = 'GF'"))
    log_in(client, f"{who}@kring.test")
    assert client.get(f"/staff/groups/{group_id}/feedback").status_code == status

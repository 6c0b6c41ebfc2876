"""The briefing before a session and the wrap-up after it: what the page and the one-page PDF
say is recomputed here from the raw answers, attendance and flags the test wrote; the wrap-up
records attendance and acknowledges the flags with the chosen actions; only the group's
therapists see it."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from rom.clock import organisation_today
from rom.extensions import db
from rom.frames import report_inputs
from rom.instruments import library
from rom.models import (
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Client,
    Flag,
    FlagKind,
    FlagStatus,
    GroupSession,
    LeaveReason,
    Membership,
    Severity,
    utcnow,
)
from rom.reports.summary import Period, organisation_summary
from rom.services.attendance import record_attendance
from rom.services.invitations import open_link
from rom.services.submissions import submit
from tests.factories import make_group, make_invitation, make_session
from tests.personas import cast
from tests.prepared_reports import prepared_report
from tests.staff_session import csrf, log_in
from tests.web.pdfs import pages_rendered, text_of
from tests.web.staff_language import fresh, switch

MEMBERS = 12
HELD = 5  # sessions 1-5 took place; session 6 is tomorrow
NAMES = ["Ada", "Bo", "Cas", "Dewi", "Eva", "Fay", "Gijs", "Hana", "Ivo", "Jet", "Kees", "Lot"]
SCALES = {  # the published structure of the GCQ-S, and the whole cohesion scale
    "engagement": ("gcq_s", [1, 2, 4, 8, 11]),
    "avoidance": ("gcq_s", [3, 5, 9]),
    "conflict": ("gcq_s", [6, 7, 10, 12]),
    "cohesion": ("gcs", [1, 2, 3, 4, 5, 6, 7]),
}
SYMBOL = {"present": "✓", "absent": "✗", "excused": "a"}


@dataclass
class Scenario:
    session_ids: dict[int, int]
    members: dict[str, int]  # label → membership id
    absent: set[tuple[int, str]] = field(default_factory=set)  # (session, label)
    unanswered: set[tuple[int, str]] = field(default_factory=set)
    answers: dict[tuple[int, str], dict[str, dict[int, int]]] = field(default_factory=dict)
    flags: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, who, kind)

    @property
    def upcoming(self) -> int:
        return self.session_ids[HELD + 1]


def _answer(number: int, session: int, instrument: str, item: int) -> int:
    """A deterministic answer, different per member, session and item (never a critical one:
    the flags of this scenario are the ones it writes)."""
    if (instrument, item) == ("phq9", 9):
        return 0
    top = max(library()[instrument].item(item).values)
    return (number * 3 + session * 2 + item) % (top + 1)


def _label(number: int) -> str:
    return f"{NAMES[number]} (P{number + 1:02d})"


@pytest.fixture
def scenario(app: Flask) -> Scenario:
    team = cast()
    group = make_group(
        code="GP",
        therapists=(team.anna,),
        name="Interpersoonlijke groep",
        kind="psychotherapy",
        format="slow_open",
        ask_topic=True,
    )
    today = utcnow().replace(second=0, microsecond=0)
    sessions = {
        n: make_session(group, n, today - timedelta(weeks=HELD - n, days=-1 if n > HELD else 1))
        for n in range(1, HELD + 2)
    }
    for later in range(HELD + 2, 13):
        make_session(group, later, today + timedelta(weeks=later - HELD - 1, days=1))
    memberships = {}
    for number in range(MEMBERS):
        client = Client(code=f"P{number + 1:02d}", first_name=NAMES[number], language="nl")
        joined = HELD + 1 if number == MEMBERS - 1 else 1
        membership = Membership(client=client, group=group, joined_session=joined)
        if number == MEMBERS - 2:
            membership.left_session = HELD + 1
            membership.leave_reason = LeaveReason.STEPPED_DOWN
        db.session.add(membership)
        memberships[number] = membership
    db.session.flush()
    found = Scenario(
        session_ids={n: s.id for n, s in sessions.items()},
        members={_label(n): m.id for n, m in memberships.items()},
    )
    for s in range(1, HELD + 1):
        statuses = {}
        for number, membership in memberships.items():
            if membership.joined_session > s:
                continue
            label = _label(number)
            absent = (number + s) % 5 == 0
            statuses[membership.id] = (
                AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT
            )
            if absent:
                found.absent.add((s, label))
            invitation, token = make_invitation(membership, sessions[s])
            if (number * s) % 7 == 3:
                found.unanswered.add((s, label))
                continue
            draft = {
                instrument: {
                    str(item.number): _answer(number, s, instrument, item.number)
                    for item in library()[instrument].items
                }
                for instrument in invitation.instrument_ids
            }
            invitation.draft = draft
            found.answers[(s, label)] = {
                k: {int(i): v for i, v in d.items()} for k, d in draft.items()
            }
            if s == HELD and number in (1, 4):
                invitation.topic = f"Onderwerp van {NAMES[number]}: omgaan met kritiek"
            db.session.flush()
            moment = sessions[s].planned_start + timedelta(hours=3)
            submit(open_link(token, now=moment), library(), now=moment)
        record_attendance(sessions[s], statuses, now=sessions[s].planned_start)
    db.session.commit()

    def flag(number: int | None, kind: FlagKind, severity: Severity, raised: int, **extra) -> None:
        db.session.add(
            Flag(
                group_id=group.id,
                membership_id=memberships[number].id if number is not None else None,
                kind=kind,
                severity=severity,
                reasons=[{"code": "dropout_absent_now"}],
                suggested_action="contact",
                raised_session=raised,
                last_session=raised,
                **extra,
            )
        )

    flag(6, FlagKind.DROPOUT_RISK, Severity.MEDIUM, 4)
    flag(2, FlagKind.CRITICAL_ITEM, Severity.CRITICAL, 5)
    flag(3, FlagKind.DETERIORATION, Severity.HIGH, 3)
    flag(None, FlagKind.GROUP_CLIMATE, Severity.MEDIUM, 5)
    flag(7, FlagKind.RECOVERED, Severity.LOW, 5)
    flag(0, FlagKind.NOT_ON_TRACK, Severity.HIGH, 5, status=FlagStatus.RESOLVED)
    flag(8, FlagKind.NOT_ON_TRACK, Severity.HIGH, HELD + 1)  # raised at the session itself
    db.session.commit()
    found.flags = sorted(
        [
            ("critical", _label(2), "Kritiek antwoord"),
            ("high", _label(3), "Verslechtering"),
            ("medium", "", "Groepsklimaat"),
            ("medium", _label(6), "Risico op uitval"),
            ("low", _label(7), "Hersteld"),
        ],
        key=lambda f: ({"critical": 0, "high": 1, "medium": 2, "low": 3}[f[0]], f[1]),
    )
    return found


def _expected_means(scenario: Scenario, session: int) -> dict[str, float]:
    means = {}
    for scale, (instrument, items) in SCALES.items():
        values = [
            sum(answers[instrument][i] for i in items) / len(items)
            for (s, _label), answers in scenario.answers.items()
            if s == session and instrument in answers
        ]
        if values:
            means[scale] = sum(values) / len(values)
    return means


def _open_as_anna(client: FlaskClient, scenario: Scenario) -> str:
    log_in(client, "anna@kring.test")
    response = client.get(f"/staff/sessions/{scenario.upcoming}/briefing")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_briefing_page_says_what_the_raw_data_says(client: FlaskClient, scenario: Scenario):
    page = _open_as_anna(client, scenario)
    attention = page.split('id="attention"')[1].split("</section>")[0]
    shown = re.findall(r"<strong>(.*?)</strong> · (.*?) <span", attention)
    assert shown == [(who or "Groep", kind) for _severity, who, kind in scenario.flags]

    not_answered = page.split('id="not-answered"')[1].split("</section>")[0]
    expected_gaps = sorted(label for s, label in scenario.unanswered if s == HELD)
    assert expected_gaps, "the scenario must have members who did not answer"
    for label in scenario.members:
        assert (label in not_answered) == (label in expected_gaps)

    table = page.split('id="attendance"')[1].split("</section>")[0]
    for label in scenario.members:
        row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', table).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row)[:4]
        joined = 1 if label != _label(MEMBERS - 1) else HELD + 1
        expected = [
            "–" if s < joined else SYMBOL["absent" if (s, label) in scenario.absent else "present"]
            for s in range(HELD - 3, HELD + 1)
        ]
        assert cells == expected, label
    assert re.search(rf"{re.escape(_label(MEMBERS - 1))}</th>.*?Nieuw", table)
    assert re.search(rf"{re.escape(_label(MEMBERS - 2))}</th>.*?Laatste sessie", table)

    title = re.search(r'<svg class="trend".*?<title>(.*?)</title>', page, re.S).group(1)
    for session in range(2, HELD + 1):
        for scale, mean in _expected_means(scenario, session).items():
            label = {"engagement": "betrokkenheid", "conflict": "conflict"}.get(scale, scale)
            label = {"avoidance": "vermijding", "cohesion": "cohesie"}.get(scale, label)
            spoken = re.search(rf"{label}: ([^;]*)", title).group(1)
            assert f"{session} {mean:.1f}".replace(".", ",") in spoken, (scale, session)

    assert "Onderwerp van Bo: omgaan met kritiek" in page
    assert "Onderwerp van Eva" in page
    assert "Nieuwe leden verwelkomen (1)" in page
    assert "<p>Voorstel: " in page  # not 'Overweeg: ... overwegen'
    assert re.search(r"<p>(ma|di|wo|do|vr|za|zo) \d\d-\d\d-\d{4} \d\d:\d\d", page)


def test_the_briefing_in_english_has_english_weekdays_and_numbers(
    app: Flask, client: FlaskClient, scenario: Scenario
) -> None:
    _open_as_anna(client, scenario)
    assert switch(client, "en").status_code == 302
    page = fresh(app, client, f"/staff/sessions/{scenario.upcoming}/briefing")
    assert re.search(r"<p>(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d-\d\d-\d{4} \d\d:\d\d", page)
    assert "<p>Suggested: " in page
    title = re.search(r'<svg class="trend".*?<title>(.*?)</title>', page, re.S).group(1)
    assert re.search(r"engagement: \d+ \d\.\d", title)  # a decimal point in English


def test_opening_the_briefing_is_audited_with_the_members_shown(
    client: FlaskClient, scenario: Scenario
):
    _open_as_anna(client, scenario)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.subject_type == "briefing"))
    assert event.subject_id == str(scenario.upcoming)
    assert sorted(event.detail["members"]) == sorted(scenario.members.values())


def test_the_pdf_is_one_a4_page_with_the_same_flags_and_gaps(
    client: FlaskClient, scenario: Scenario, tmp_path: Path
):
    log_in(client, "anna@kring.test")
    response = client.get(f"/staff/sessions/{scenario.upcoming}/briefing.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = response.get_data()
    text = text_of(pdf, tmp_path)
    assert "Pagina 1 van 1" in text
    assert pages_rendered(pdf, tmp_path) == 1
    (tmp_path / "size.pdf").write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "size.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "(A4)" in info
    flat = " ".join(text.split())
    positions = [flat.index(f"{who or 'Groep'}") for _s, who, _k in scenario.flags]
    assert positions == sorted(positions), "flags most urgent first"
    for s, label in scenario.unanswered:
        if s == HELD:
            assert label in flat
    assert "Onderwerp van Bo" in flat
    artifacts = Path("test-artifacts")
    artifacts.mkdir(exist_ok=True)
    (artifacts / "briefing.pdf").write_bytes(pdf)


def test_another_therapist_does_not_learn_the_briefing_exists(
    client: FlaskClient, scenario: Scenario
):
    log_in(client, "carla@kring.test")
    assert client.get(f"/staff/sessions/{scenario.upcoming}/briefing").status_code == 404
    assert client.get(f"/staff/sessions/{scenario.upcoming}/wrap-up").status_code == 404


def test_a_manager_never_sees_the_briefing_nor_the_members_topics(
    client: FlaskClient, scenario: Scenario, tmp_path: Path
):
    log_in(client, "mila@kring.test")
    assert client.get(f"/staff/sessions/{scenario.upcoming}/briefing").status_code == 403
    assert client.get(f"/staff/sessions/{scenario.upcoming}/briefing.pdf").status_code == 403
    report = prepared_report(client, "organisation", {"from": "2026-01-01", "to": "2026-12-31"})
    assert report.status_code == 200
    assert "Onderwerp" not in text_of(report.get_data(), tmp_path)


def _wrap_up_form(client: FlaskClient, scenario: Scenario) -> dict[str, str]:
    form = {"csrf_token": csrf(client, f"/staff/sessions/{scenario.upcoming}/wrap-up")}
    for label, membership_id in scenario.members.items():
        form[f"status-{membership_id}"] = "absent" if label.startswith("Cas") else "present"
    return form


def _flag_id(kind: FlagKind) -> int:
    return db.session.scalar(
        sa.select(Flag.id).where(Flag.kind == kind, Flag.status == FlagStatus.OPEN)
    )


def test_the_wrap_up_records_attendance_and_what_was_done_about_each_flag(
    client: FlaskClient, scenario: Scenario
):
    log_in(client, "anna@kring.test")
    session = db.session.get(GroupSession, scenario.upcoming)
    session.planned_start = utcnow() - timedelta(hours=2)  # the session has just ended
    db.session.commit()
    form = _wrap_up_form(client, scenario)
    critical, dropout = _flag_id(FlagKind.CRITICAL_ITEM), _flag_id(FlagKind.DROPOUT_RISK)
    form |= {
        f"action-{critical}": "discussed_one_to_one",
        f"note-{critical}": "Na de sessie gesproken; veiligheidsplan gemaakt.",
        f"action-{dropout}": "contact",
    }
    response = client.post(f"/staff/sessions/{scenario.upcoming}/wrap-up", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    flags = {f.id: f for f in db.session.scalars(sa.select(Flag))}
    assert flags[critical].action.value == "discussed_one_to_one"
    assert flags[critical].note == "Na de sessie gesproken; veiligheidsplan gemaakt."
    assert flags[dropout].action.value == "contact"
    untouched = [f for i, f in flags.items() if i not in (critical, dropout)]
    assert all(f.acknowledged_at is None for f in untouched)
    recorded = dict(
        db.session.execute(
            sa.select(Attendance.membership_id, Attendance.status).where(
                Attendance.session_id == scenario.upcoming
            )
        ).all()
    )
    assert len(recorded) == MEMBERS
    assert recorded[scenario.members[_label(2)]] == AttendanceStatus.ABSENT
    assert db.session.get(GroupSession, scenario.upcoming).status.value == "held"


def test_feedback_used_counts_the_opened_briefing_and_the_flag_acted_on_in_time(
    client: FlaskClient, scenario: Scenario
):
    _open_as_anna(client, scenario)
    session = db.session.get(GroupSession, scenario.upcoming)
    session.planned_start = utcnow() - timedelta(minutes=1)  # the session has just ended
    db.session.commit()
    form = _wrap_up_form(client, scenario)
    critical, dropout = _flag_id(FlagKind.CRITICAL_ITEM), _flag_id(FlagKind.DROPOUT_RISK)
    form |= {f"action-{critical}": "discussed_one_to_one", f"action-{dropout}": "contact"}
    assert client.post(f"/staff/sessions/{scenario.upcoming}/wrap-up", data=form).status_code == 302
    today = organisation_today()
    summary = organisation_summary(
        report_inputs(), Period(today - timedelta(days=90), today), library()["phq9"].scale("total")
    )
    # Six sessions held, the briefing of the last one opened on its day. Of the seven flags,
    # six were raised before a later session (one at the session just held): only the critical
    # one (raised at session 5, acted on in session 6's wrap-up) was taken up in time; the
    # dropout flag of session 4 waited past session 5.
    assert summary.total.sessions_held == HELD + 1
    assert summary.total.briefings_opened == 1 / (HELD + 1)
    assert summary.total.flags_raised == 7
    assert summary.total.flags_due == 6
    assert summary.total.acted_by_next_session == 1 / 6


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"action": "delete_everything"}, "Kies een actie uit de lijst."),
        ({"status": "maybe"}, "Kies voor iedereen aanwezig, afwezig of afgemeld."),
        ({"note": "x" * 2001}, "hooguit 2000 tekens"),
    ],
)
def test_a_bad_wrap_up_is_refused_and_changes_nothing(
    client: FlaskClient, scenario: Scenario, change: dict[str, str], message: str
):
    log_in(client, "anna@kring.test")
    session = db.session.get(GroupSession, scenario.upcoming)
    session.planned_start = utcnow() - timedelta(hours=2)
    db.session.commit()
    form = _wrap_up_form(client, scenario)
    critical = _flag_id(FlagKind.CRITICAL_ITEM)
    form[f"action-{critical}"] = change.get("action", "discussed_in_group")
    form[f"note-{critical}"] = change.get("note", "")
    if "status" in change:
        form[f"status-{scenario.members[_label(0)]}"] = change["status"]
    response = client.post(f"/staff/sessions/{scenario.upcoming}/wrap-up", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Flag, critical).acknowledged_at is None
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(Attendance.session_id == scenario.upcoming)
    )


def test_the_wrap_up_starts_from_the_attendance_recorded_and_keeps_it(
    client: FlaskClient, scenario: Scenario
):
    """An excused member recorded on the attendance page stays excused when the wrap-up is
    saved: the page shows what is recorded, by whom and when, and fills in nothing else."""
    log_in(client, "anna@kring.test")
    session = db.session.get(GroupSession, scenario.upcoming)
    session.planned_start = utcnow() - timedelta(hours=2)
    db.session.commit()
    excused = scenario.members[_label(3)]
    attendance_path = f"/staff/sessions/{scenario.upcoming}/attendance"
    form = {"csrf_token": csrf(client, attendance_path)}
    form |= {f"status-{m}": "present" for m in scenario.members.values()}
    form[f"status-{excused}"] = "excused"
    assert client.post(attendance_path, data=form).status_code == 302
    path = f"/staff/sessions/{scenario.upcoming}/wrap-up"
    page = client.get(path).get_data(as_text=True)
    assert re.search(rf'name="status-{excused}" value="excused" checked', page)
    assert page.count(" checked") == MEMBERS  # one per member, as recorded
    assert "Vastgelegd door Anna" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    chosen = dict(re.findall(r'name="(status-\d+)" value="(\w+)" checked', page))
    assert client.post(path, data={"csrf_token": token, **chosen}).status_code == 302
    db.session.expire_all()
    kept = db.session.scalar(
        sa.select(Attendance.status).where(
            Attendance.session_id == scenario.upcoming, Attendance.membership_id == excused
        )
    )
    assert kept == AttendanceStatus.EXCUSED


def test_a_wrap_up_of_a_session_without_attendance_fills_nothing_in(
    client: FlaskClient, scenario: Scenario
):
    log_in(client, "anna@kring.test")
    session = db.session.get(GroupSession, scenario.upcoming)
    session.planned_start = utcnow() - timedelta(hours=2)
    db.session.commit()
    page = client.get(f"/staff/sessions/{scenario.upcoming}/wrap-up").get_data(as_text=True)
    assert " checked" not in page
    assert page.count("Nog niet vastgelegd") == MEMBERS


def test_a_printed_briefing_says_truthfully_whom_it_names(
    app: Flask, client: FlaskClient, scenario: Scenario, tmp_path: Path
):
    """By first name and code, and then it says it holds first names; where the organisation
    prints codes only, no first name is on the sheet and it says codes only."""
    log_in(client, "anna@kring.test")
    path = f"/staff/sessions/{scenario.upcoming}/briefing.pdf"
    named = " ".join(text_of(client.get(path).get_data(), tmp_path).split())
    assert "vertrouwelijk: bevat voornamen van leden" in named
    assert "alleen pseudonieme codes" not in named
    assert "Ada" in named
    app.config["PRINTED_MEMBERS"] = "codes"
    try:
        coded = " ".join(text_of(client.get(path).get_data(), tmp_path).split())
    finally:
        app.config["PRINTED_MEMBERS"] = "first_names"
    assert "vertrouwelijk, alleen codes" in coded
    assert re.findall(r"\w+ \(P\d\d\)", coded) == []  # no 'Ada (P01)': codes alone
    assert "P01" in coded

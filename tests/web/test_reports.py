"""PDF reports: the figures in the PDF text match figures computed here from the raw bundle;
every page renders; each report is downloadable only by the roles it is meant for."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pandas as pd
import pytest
import sqlalchemy as sa
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from rom.extensions import db
from rom.models import (
    AuditEvent,
    Client,
    Group,
    LeaveReason,
    Membership,
)
from rom.services.report_requests import prepare_requested_reports
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort
from tests.factories import make_critical_flag
from tests.personas import cast
from tests.prepared_reports import ask_for_report, prepared_report
from tests.staff_session import log_in
from tests.web.pdfs import pages_rendered, text_of

START, END = date(2026, 1, 1), date(2026, 6, 30)
RELIABLE_CHANGE, CUTOFF = 6, 10


@pytest.fixture
def cohort(app: Flask, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """Eight groups from early 2025 to mid 2026 (so 2025 is a baseline), two therapists, and a
    few memberships ended by dropping out."""
    bundle = import_cohort(
        CohortSpec(
            groups=8,
            seed=31,
            first_start=date(2025, 1, 6),
            last_start=date(2026, 3, 2),
            until=date(2026, 9, 1),
        ),
        tmp_path / "bundle",
    )
    team = cast()
    groups = db.session.scalars(sa.select(Group).order_by(Group.code)).all()
    for number, group in enumerate(groups):
        group.therapists = [team.anna if number % 2 == 0 else team.carla]
    tables = bundle.frames()
    ended = []
    for membership in db.session.scalars(sa.select(Membership).order_by(Membership.id)).all()[::9]:
        membership.left_session = membership.joined_session + 2
        membership.leave_reason = LeaveReason.DROPPED_OUT
        ended.append((membership.group.code, membership.client.code, membership.left_session))
    db.session.commit()
    tables["ended"] = pd.DataFrame(ended, columns=["group_id", "member_id", "session_no"])
    tables["kinds"] = pd.DataFrame(
        [(g.code, g.kind.value, g.therapists[0].name) for g in groups],
        columns=["group_id", "kind", "therapist"],
    )
    return tables


def page_count(text: str) -> int:
    return int(re.search(r"Pagina 1 van (\d+)", text).group(1))


def held_in(tables: dict[str, pd.DataFrame], first: date, last: date) -> pd.DataFrame:
    sessions = tables["sessions"]
    days = pd.to_datetime(sessions["date"])
    held = sessions["held"].astype(str).str.lower() == "true"
    return sessions[held & (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))]


def volume(tables: dict[str, pd.DataFrame], first: date, last: date) -> int:
    held = held_in(tables, first, last)[["group_id", "session_no"]]
    present = tables["attendance"][tables["attendance"]["status"] == "present"]
    return len(present.merge(held, on=["group_id", "session_no"]))


def outcomes(tables: dict[str, pd.DataFrame], first: date, last: date) -> dict[str, int]:
    """Jacobson-Truax on PHQ-9 totals summed here from the items."""
    phq = tables["responses"][tables["responses"]["instrument"] == "phq9"]
    totals = phq.groupby(["group_id", "member_id", "session_no"])["value"].sum().reset_index()
    held = held_in(tables, date(2000, 1, 1), last)
    totals = totals.merge(held[["group_id", "session_no", "date"]], on=["group_id", "session_no"])
    counts = dict.fromkeys(("recovered", "improved", "unchanged", "deteriorated"), 0)
    for _, rows in totals.sort_values("session_no").groupby(["group_id", "member_id"]):
        if len(rows) < 2 or pd.Timestamp(rows["date"].iloc[-1]) < pd.Timestamp(first):
            continue
        before, after = rows["value"].iloc[0], rows["value"].iloc[-1]
        if before - after >= RELIABLE_CHANGE:
            counts["recovered" if before >= CUTOFF > after else "improved"] += 1
        elif after - before >= RELIABLE_CHANGE:
            counts["deteriorated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def test_the_organisation_report_shows_figures_computed_from_the_raw_data(
    app: Flask, cohort, tmp_path: Path
) -> None:
    from rom.reports.organisation import organisation_report

    pdf = organisation_report(START, END)
    text = text_of(pdf, tmp_path)
    held = held_in(cohort, START, END)
    period_volume = volume(cohort, START, END)
    baseline = volume(cohort, date(2025, 1, 1), date(2025, 12, 31))
    growth = period_volume * 365 / ((END - START).days + 1) / baseline - 1
    counts = outcomes(cohort, START, END)
    ended = cohort["ended"].merge(held, on=["group_id", "session_no"])
    assert min(len(ended), baseline, sum(counts.values()) // 20) > 0, "a cohort worth testing"
    total = re.search(r"Totaal\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+(\d+)", text)
    assert total is not None, text[:2000]
    groups, _, sessions, attended, dropouts = (int(v) for v in total.groups())
    assert groups == held["group_id"].nunique()
    assert sessions == len(held)
    assert attended == period_volume
    assert dropouts == len(ended)
    assert re.search(rf"Basisjaar 2025\s+{baseline}\b", text)
    assert f"{growth * 100:+.1f}%".replace(".", ",") in text  # a Dutch decimal comma
    outcome_line = re.search(r"Totaal\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+%", text)
    assert outcome_line is not None
    assert [int(v) for v in outcome_line.groups()[:4]] == list(counts.values())
    for name in cohort["kinds"]["therapist"].unique():
        assert name in text
    assert re.search(r"Landelijk doel 2027\s+\+6%", text)
    assert re.search(r"Landelijk doel 2030\s+\+15%", text)
    flat = " ".join(text.split())
    said = r"er kwamen (geen signalen\.|\d+ signalen, (waarvan nog geen is opgepakt\.|met een"
    assert re.search(said + r" mediane tijd tot actie van \d+,\d dagen\.))", flat)
    assert page_count(text) == 3  # summary and kinds; therapists; method
    assert pages_rendered(pdf, tmp_path) == 3
    assert "@" not in text  # no e-mail addresses, only pseudonymous codes


def test_the_group_report_shows_the_groups_course_and_each_members_codes(
    app: Flask, cohort, tmp_path: Path
) -> None:
    from rom.reports.group import group_report

    code = cohort["kinds"]["group_id"].iloc[0]
    group = db.session.scalar(sa.select(Group).where(Group.code == code))
    pdf = group_report(group)
    text = text_of(pdf, tmp_path)
    members = cohort["members"][cohort["members"]["group_id"] == code]["member_id"]
    assert all(member in text for member in members)
    phq = cohort["responses"][
        (cohort["responses"]["instrument"] == "phq9") & (cohort["responses"]["group_id"] == code)
    ]
    first = phq[phq["session_no"] == 1].groupby("member_id")["value"].sum()
    row = re.search(r"\n\s*1\s+(\d+)\s+(\d+)\s+(\d+),(\d)", text)  # session 1: present, measured
    assert row is not None
    assert int(row.group(2)) == len(first)
    median = float(f"{row.group(3)}.{row.group(4)}")  # written with a Dutch decimal comma
    assert median == pytest.approx(first.median(), abs=0.05)
    assert not re.search(r"\((completed|dropped_out|stepped_up|stepped_down|moved)\)", text)
    left = sa.select(Membership).where(
        Membership.group_id == group.id, Membership.left_session.is_not(None)
    )
    assert db.session.scalars(left).first() is not None, "a group with members who left"
    assert re.search(r"\((afgerond|uitgevallen|opgeschaald|afgeschaald|verhuisd)", text)
    assert pages_rendered(pdf, tmp_path) == page_count(text)


def test_the_member_report_speaks_the_readers_language(app: Flask, cohort, tmp_path: Path) -> None:
    from flask_babel import force_locale

    from rom.reports.member import member_report

    for language, title in (("nl", "Voortgangsverslag"), ("en", "Progress report")):
        membership = db.session.scalar(
            sa.select(Membership).join(Client).where(Client.language != language).limit(1)
        )
        with force_locale(language):
            text = text_of(member_report(membership), tmp_path)
        assert f"{title} {membership.client.code}" in text
        phq = cohort["responses"][
            (cohort["responses"]["instrument"] == "phq9")
            & (cohort["responses"]["member_id"] == membership.client.code)
        ]
        totals = phq.groupby("session_no")["value"].sum()
        label = "Eerste meting" if language == "nl" else "First measurement"
        assert re.search(rf"{label}\s+{int(totals.iloc[0])}\b", text)
        footer = "Pagina 1 van" if language == "nl" else "Page 1 of"
        assert footer in text
        index = "Betrouwbare-veranderingsindex (RCI)" if language == "nl" else "change index (RCI)"
        mark = "," if language == "nl" else r"\."
        assert re.search(rf"{re.escape(index)}\s+[+-]\d+{mark}\d\d\b", text), text


@pytest.fixture
def team_with_group(app: Flask):
    from tests.factories import make_group, make_member

    people = cast()
    group = make_group("GA", therapists=(people.anna,), name="Groep A")
    member = make_member(group, "MA1")
    db.session.commit()
    return people, group, member


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("anna@kring.test", "member", 200),
        ("anna@kring.test", "group", 200),
        ("carla@kring.test", "member", 404),  # not her group
        ("carla@kring.test", "group", 404),
        ("mila@kring.test", "member", 403),  # managers never get a member's report
        ("mila@kring.test", "group", 403),
        ("mila@kring.test", "organisation", 200),
        ("anna@kring.test", "organisation", 403),
        ("ad@kring.test", "organisation", 200),
        ("ad@kring.test", "member", 403),
    ],
)
def test_who_may_download_which_report(
    client: FlaskClient, team_with_group, who: str, target: str, status: int
) -> None:
    _, group, member = team_with_group
    log_in(client, who)
    if target == "organisation":
        period = {"from": "2026-01-01", "to": "2026-03-31"}
        asked = ask_for_report(client, "organisation", period)
        response = prepared_report(client, target, period) if status == 200 else asked
    else:
        path = {
            "member": f"/staff/members/{member.id}/report.pdf",
            "group": f"/staff/groups/{group.id}/report.pdf",
        }[target]
        response = client.get(path)
    assert response.status_code == status
    exports = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    if status == 200:
        assert response.data.startswith(b"%PDF")
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert [e.subject_type for e in exports] == [f"{target}_report"]
    else:
        assert exports == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-03-01&to=2026-01-01", "vóór de begindatum"),
        ("from=yesterday&to=2026-01-01", "Kies een begin- en einddatum"),
        ("from=2020-01-01&to=2026-01-01", "hooguit drie jaar"),
    ],
)
def test_a_bad_period_is_named_and_nothing_is_exported(
    client: FlaskClient, team_with_group, query: str, message: str
) -> None:
    log_in(client, "mila@kring.test")
    response = ask_for_report(client, "organisation", dict(parse_qsl(query)))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert prepare_requested_reports() == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "export")
        )
        == 0
    )


def test_the_demo_organisations_year_report_has_its_three_pages(app: Flask, tmp_path: Path) -> None:
    from rom.demo import create_demo
    from rom.reports.organisation import organisation_report

    create_demo(date(2026, 11, 24))
    pdf = organisation_report(date(2026, 1, 1), date(2026, 11, 24))
    text = text_of(pdf, tmp_path)
    assert page_count(text) == 3
    assert pages_rendered(pdf, tmp_path) == 3
    assert text.count("01-01-2026 t/m 24-11-2026") >= 3  # the period in every page header
    assert text.count("Pagina ") == 3


def test_the_member_report_carries_the_members_flags_critical_answers_first_in_mind(
    app: Flask, cohort, tmp_path: Path
) -> None:
    from rom.reports.member import member_report

    membership = db.session.scalar(sa.select(Membership).limit(1))
    make_critical_flag(membership, session=3)
    db.session.commit()
    text = " ".join(text_of(member_report(membership), tmp_path).split())
    flags = text[text.index("Signalen") : text.index("Scores per sessie")]
    assert re.search(r"Kritiek\s+3\b", flags)  # the kind (its cell wraps) and the session
    assert "antwoord" in flags
    assert "Gaf aan gedachten te hebben over dood of zichzelf" in flags  # the reason
    assert "open: nog niets" in flags  # nobody acted yet


def test_a_manager_picks_a_quarter_or_a_year_in_one_click(client: FlaskClient) -> None:
    cast()
    db.session.commit()
    with time_machine.travel(datetime(2027, 2, 10, 11, 0), tick=False):
        log_in(client, "mila@kring.test")
        page = client.get("/staff/reports").get_data(as_text=True)
        found = re.findall(
            r'name="from" value="([\d-]+)">\s*<input type="hidden" name="to" value="([\d-]+)">'
            r'\s*<button type="submit" class="secondary">([^<]+)</button>',
            page,
        )
        presets = {name: (start, end) for start, end, name in found}
        assert presets["4e kwartaal 2026"] == ("2026-10-01", "2026-12-31")
        assert presets["1e kwartaal 2027 (tot vandaag)"] == ("2027-01-01", "2027-02-10")
        assert presets["2026"] == ("2026-01-01", "2026-12-31")
        start, end = presets["2026"]
        reply = prepared_report(client, "organisation", {"from": start, "to": end})
    assert reply.status_code == 200
    assert reply.mimetype == "application/pdf"

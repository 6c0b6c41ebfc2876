"""The demo organisation has something true to show on every screen from the first start."""

from datetime import date, timedelta

import sqlalchemy as sa
from flask import Flask

from rom.clock import to_local
from rom.demo import DEMO_PASSWORD, create_demo
from rom.extensions import db
from rom.models import Group, GroupSession, Membership, Response, Role, SessionStatus, StaffUser
from rom.services.accounts import password_matches

TODAY = date(2026, 11, 24)


def test_demo_has_staff_of_every_role_who_can_log_in(app: Flask) -> None:
    create_demo(TODAY)
    staff = db.session.scalars(sa.select(StaffUser)).all()
    roles = sorted(role.value for person in staff for role in person.roles)
    assert roles == ["admin", "manager"] + ["therapist"] * 3
    assert all(password_matches(s, DEMO_PASSWORD) for s in staff)


def test_demo_groups_mix_kinds_formats_and_stages(app: Flask) -> None:
    create_demo(TODAY)
    groups = db.session.scalars(sa.select(Group)).all()
    assert len(groups) >= 5
    assert {g.format.value for g in groups} == {"closed", "slow_open"}
    assert len({g.kind for g in groups}) >= 3
    assert all(len(g.therapists) == 2 for g in groups)
    ended = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .where(Membership.left_session.is_not(None))
    )
    ongoing = db.session.scalar(
        sa.select(sa.func.count()).select_from(Membership).where(Membership.left_session.is_(None))
    )
    assert ended > 10
    assert ongoing > 20
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) > 1000


def test_demo_has_a_session_tomorrow_and_nothing_held_in_the_future(app: Flask) -> None:
    create_demo(TODAY)
    sessions = db.session.scalars(sa.select(GroupSession)).all()
    tomorrow = TODAY + timedelta(days=1)
    local_days = [
        (to_local(s.planned_start, "Europe/Amsterdam").date(), s.status) for s in sessions
    ]
    assert (tomorrow, SessionStatus.PLANNED) in local_days
    assert all(day <= TODAY for day, status in local_days if status == SessionStatus.HELD)


def test_demo_therapist_roles_are_staff(app: Flask) -> None:
    create_demo(TODAY)
    anna = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == "anna@demo.kring.nl"))
    assert anna.roles == {Role.THERAPIST}
    assert anna.is_staff


def test_demo_has_a_waiting_list_worth_working_through(app: Flask) -> None:
    from rom.analytics.matching import candidates
    from rom.services.waiting_list import groups_frame, waiting_frame

    create_demo(TODAY)
    waiting = waiting_frame()
    groups = groups_frame()
    matches = candidates(waiting, groups, TODAY)
    assert len(waiting) == 12
    assert len(groups) >= 2  # groups with an open place now
    assert matches.groupby("group_id").size().max() >= 3  # a group with a real choice to make
    judged = waiting.set_index("client_id")["decision"]
    assert set(matches["client_id"]) <= set(judged[judged == "suitable"].index)
    assert judged.isna().sum() == 2  # still to be judged at intake
    assert waiting["readiness"].notna().sum() == 10  # two have not answered the intake yet
    assert matches["readiness_band"].nunique() >= 2  # readiness orders the choice


def test_stored_reasons_keep_counts_whole(app: Flask) -> None:
    """'4 van 9 leden vragen aandacht', not '4.0 van 9.0' (the dashboards read stored flags)."""
    from rom.flag_reasons import reasons_text
    from rom.models import Flag, FlagKind

    create_demo(TODAY)
    many = db.session.scalars(sa.select(Flag).where(Flag.kind == FlagKind.MANY_FLAGGED)).all()
    assert many
    for flag in many:
        counts = flag.reasons[0]
        assert isinstance(counts["flagged"], int)
        assert isinstance(counts["members"], int)
        assert f"{counts['flagged']} van {counts['members']} leden" in reasons_text(flag.reasons)


def test_the_demo_prints_fresh_links_for_several_members_and_makes_more(app: Flask) -> None:
    import re

    create_demo(TODAY)
    runner = app.test_cli_runner()
    printed = runner.invoke(args=["rom", "demo", "--if-empty"]).output
    links = re.findall(r"/q/(\S+)", printed)
    assert len(links) == 4
    assert len({line.split(":")[0] for line in printed.splitlines() if "/q/" in line}) == 4
    again = re.findall(r"/q/(\S+)", runner.invoke(args=["rom", "demo", "links"]).output)
    assert len(again) == 4
    assert not set(again) & set(links)  # fresh tokens
    assert app.test_client().get(f"/q/{links[0]}").status_code == 404  # replaced by a fresh one


def test_no_demo_therapist_has_two_groups_at_the_same_hour(app: Flask) -> None:
    create_demo(TODAY)
    for person in db.session.scalars(sa.select(StaffUser)):
        planned = db.session.scalars(
            sa.select(GroupSession.planned_start)
            .join(Group)
            .where(Group.therapists.contains(person), GroupSession.status == SessionStatus.PLANNED)
        ).all()
        assert len(planned) == len(set(planned)), person.email

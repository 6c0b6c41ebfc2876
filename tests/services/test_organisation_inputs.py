"""An organisation-wide report reads the groups that met in its period and in the baseline year,
not the whole history, and its figures are those read from every group."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from flask import Flask

from rom.extensions import db
from rom.frames import organisation_inputs, report_inputs, waiting_inputs
from rom.instruments import phq9_total
from rom.models import Group, GroupSession, LeaveReason, Membership
from rom.reports.summary import Period, organisation_summary
from rom.synthetic import CohortSpec
from tests.bundles import import_cohort
from tests.factories import make_dropout_flag
from tests.personas import cast

BASELINE_YEAR = 2025
TODAY = date(2026, 11, 30)
LATE_FLAG = datetime(2026, 3, 16, 9, 0)


@pytest.fixture
def history(app: Flask, tmp_path: Path) -> None:
    """Groups from 2021 to 2026 (the early ones ended long before the baseline year), led by two
    therapists, some members dropped out, and a flag raised in 2026 on the oldest group, long
    after its last session (as a recompute can when a session was planned far ahead)."""
    import_cohort(
        CohortSpec(
            groups=14,
            seed=53,
            first_start=date(2021, 3, 1),
            last_start=date(2026, 6, 1),
            until=TODAY,
        ),
        tmp_path / "bundle",
    )
    team = cast()
    groups = db.session.scalars(sa.select(Group).order_by(Group.id)).all()
    for number, group in enumerate(groups):
        group.therapists = [team.anna if number % 2 == 0 else team.carla]
    memberships = db.session.scalars(sa.select(Membership).order_by(Membership.id)).all()
    for membership in memberships[::7]:
        membership.left_session = membership.joined_session + 2
        membership.leave_reason = LeaveReason.DROPPED_OUT
    oldest = db.session.scalar(
        sa.select(GroupSession.group_id).order_by(GroupSession.planned_start).limit(1)
    )
    first = next(m for m in memberships if m.group_id == oldest)
    flag = make_dropout_flag(first, session=3)
    flag.raised_at = LATE_FLAG
    db.session.commit()


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2026, 1, 1), date(2026, 6, 30)),
        Period(date(2026, 4, 1), date(2026, 11, 30)),
        Period(date(2025, 7, 1), date(2025, 9, 30)),
    ],
)
def test_the_period_reads_fewer_groups_and_says_the_same(history: None, period: Period) -> None:
    scale = phq9_total()
    everything, some = report_inputs(), organisation_inputs(period, BASELINE_YEAR)
    read = some.sessions["group_id"].nunique()
    assert read < everything.sessions["group_id"].nunique()
    assert read > 0
    summary = organisation_summary(some, period, scale, BASELINE_YEAR)
    assert summary == organisation_summary(everything, period, scale, BASELINE_YEAR)
    assert summary.total.flags_raised == (1 if period.contains(pd.Series([LATE_FLAG])).all() else 0)
    assert waiting_inputs(some, period, TODAY) == waiting_inputs(everything, period, TODAY)

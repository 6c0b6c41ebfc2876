"""Quality over time adjusted for case mix (issue #29): two years of generated episodes whose
improvement follows the expected course, so the teams do exactly as well as expected, and a
year where they really do worse."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from questionnaires import load_library
from rom.analytics.expected_course import FLOOR, default_course
from rom.analytics.panel import empty_panel
from rom.reports.quality import (
    BETTER,
    FALLEN,
    KEPT,
    TOO_FEW,
    Comparison,
    Quality,
    episodes,
    quality,
)
from rom.reports.summary import Period, ReportInputs

SESSIONS = 12
GROUP_SIZE = 8
SCALE = load_library()["phq9"].scale("total")
COURSE = default_course()


def year(number: int) -> Period:
    return Period(date(number, 1, 1), date(number, 12, 31))


def _improvement_fraction(rng: np.random.Generator, size: int, luck: float) -> np.ndarray:
    """Draws from the expected course's spread at the last session; luck < 1 draws from its
    lower part only (teams that do worse than expected)."""
    quantiles = COURSE.fractions.loc[("moderate", SESSIONS)].to_numpy(dtype=float)
    positions = np.array([0.10, 0.25, 0.50, 0.75, 0.90])
    low = quantiles[0] - (quantiles[1] - quantiles[0]) / 0.15 * 0.10
    high = quantiles[4] + (quantiles[4] - quantiles[3]) / 0.15 * 0.10
    points = np.concatenate([[low], quantiles, [high]])
    return np.interp(rng.uniform(0, luck, size), np.concatenate([[0], positions, [1]]), points)


def _cohort(
    rng: np.random.Generator, start_year: int, groups: int, intakes: tuple[int, int], luck: float
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Closed groups starting in March: sessions, panel rows and endings."""
    sessions, rows, ends = [], [], []
    for g in range(groups):
        group = f"G{start_year}-{g}"
        first_day = date(start_year, 3, 1) + timedelta(days=7 * (g % 20))
        days = [pd.Timestamp(first_day + timedelta(weeks=k)) for k in range(SESSIONS)]
        sessions += [(group, k + 1, day, True) for k, day in enumerate(days)]
        intake = rng.integers(intakes[0], intakes[1] + 1, GROUP_SIZE)
        gains = _improvement_fraction(rng, GROUP_SIZE, luck) * np.maximum(intake - FLOOR, 1.0)
        last = np.clip(np.round(intake - gains), 0, 27)
        dropped = rng.uniform(size=GROUP_SIZE) < 0.15
        for m in range(GROUP_SIZE):
            member = f"{group}-M{m}"
            for k, day in enumerate(days):
                score = intake[m] if k == 0 else last[m] if k == SESSIONS - 1 else np.nan
                rows.append((group, member, k + 1, day, k + 1, "present", True, score))
            ends.append((group, member, days[-1], 6.0 if dropped[m] else np.nan, True))
    return sessions, rows, ends


def _inputs(*cohorts: tuple[list[tuple], list[tuple], list[tuple]]) -> ReportInputs:
    sessions = [s for cohort in cohorts for s in cohort[0]]
    rows = [r for cohort in cohorts for r in cohort[1]]
    ends = [e for cohort in cohorts for e in cohort[2]]
    panel = pd.DataFrame(
        rows,
        columns=[
            "group_id",
            "member_id",
            "session_no",
            "date",
            "own_session",
            "status",
            "responded",
            "phq9",
        ],
    )
    group_ids = sorted({s[0] for s in sessions})
    return ReportInputs(
        groups=pd.DataFrame(
            [(g, g, "skills", "closed") for g in group_ids],
            columns=["group_id", "name", "kind", "format"],
        ),
        therapists=pd.DataFrame(
            [(g, "Anna") for g in group_ids], columns=["group_id", "therapist"]
        ),
        roster=pd.DataFrame(
            columns=["group_id", "member_id", "joined_session", "left_session", "leave_reason"]
        ),
        sessions=pd.DataFrame(sessions, columns=["group_id", "session_no", "date", "held"]),
        panel=pd.concat([empty_panel(), panel]) if panel.empty else panel,
        flags=pd.DataFrame(),
        endings=pd.DataFrame(
            ends,
            columns=["group_id", "member_id", "ended_on", "dropout_session", "outcome_known"],
        ),
    )


def _two_years(second_intakes: tuple[int, int], second_luck: float) -> list[Quality]:
    rng = np.random.default_rng(29)
    inputs = _inputs(
        _cohort(rng, 2025, 40, (11, 16), 1.0), _cohort(rng, 2026, 40, second_intakes, second_luck)
    )
    return quality(inputs, COURSE, SCALE, [year(2025), year(2026)], year(2025))


def test_more_severe_intakes_treated_as_well_keep_quality_where_raw_shares_would_say_it_fell() -> (
    None
):
    baseline, later = _two_years(second_intakes=(19, 24), second_luck=1.0)
    assert later.measured == 320
    recovered = later.outcomes["recovered"]
    assert recovered.low < 0 < recovered.high  # as expected for these intakes
    assert later.unadjusted_recovered.below  # the raw share against 2025 fell
    assert later.outcomes["recovered"].observed < baseline.outcomes["recovered"].observed - 0.05
    assert later.effect_size.low < 0 < later.effect_size.high
    assert later.verdict == KEPT
    assert baseline.verdict == KEPT


def test_a_year_where_outcomes_really_fall_says_so() -> None:
    baseline, later = _two_years(second_intakes=(11, 16), second_luck=0.85)
    assert later.outcomes["recovered"].below
    assert later.effect_size.below
    assert later.verdict == FALLEN
    assert baseline.verdict == KEPT


def test_a_year_where_outcomes_really_rise_says_better() -> None:
    rng = np.random.default_rng(7)
    inputs = _inputs(_cohort(rng, 2025, 40, (13, 18), 1.0))
    lucky = _inputs(_cohort(np.random.default_rng(8), 2026, 40, (13, 18), 1.0))
    lucky_rows = lucky.panel.copy()
    lucky_rows.loc[lucky_rows["session_no"] == SESSIONS, "phq9"] = 4.0
    both = ReportInputs(
        **{
            **inputs.__dict__,
            "sessions": pd.concat([inputs.sessions, lucky.sessions]),
            "panel": pd.concat([inputs.panel, lucky_rows]),
            "endings": pd.concat([inputs.endings, lucky.endings]),
        }
    )
    (later,) = quality(both, COURSE, SCALE, [year(2026)], year(2025))
    assert later.outcomes["recovered"].above
    assert later.verdict == BETTER


def test_dropout_is_held_against_the_baseline_years_rate_for_the_same_intakes() -> None:
    baseline, later = _two_years(second_intakes=(19, 24), second_luck=1.0)
    assert baseline.dropout.expected == pytest.approx(baseline.dropout.observed)
    assert later.dropout.expected is not None
    assert later.dropout.low < later.dropout.difference < later.dropout.high


def test_a_cell_below_ten_episodes_is_not_judged() -> None:
    rng = np.random.default_rng(3)
    inputs = _inputs(_cohort(rng, 2026, 1, (15, 20), 1.0))
    (only,) = quality(inputs, COURSE, SCALE, [year(2026)], year(2025))
    assert only.measured == GROUP_SIZE
    assert only.verdict == TOO_FEW


def test_expected_shares_are_chances_that_add_up_to_one() -> None:
    baseline, _ = _two_years(second_intakes=(19, 24), second_luck=1.0)
    total = sum(baseline.outcomes[name].expected for name in baseline.outcomes)
    assert total == pytest.approx(1.0)
    assert all(0 <= baseline.outcomes[name].expected <= 1 for name in baseline.outcomes)


def _one_group(held_sessions: int) -> ReportInputs:
    """Twelve weekly sessions from November 2025, the first `held_sessions` held; member A
    dropped out at session 4, member B stayed to the end."""
    days = [pd.Timestamp(date(2025, 11, 3) + timedelta(weeks=k)) for k in range(SESSIONS)]
    sessions = [("G", k + 1, day, k < held_sessions) for k, day in enumerate(days)]
    return ReportInputs(
        groups=pd.DataFrame(
            [("G", "G", "skills", "closed")], columns=["group_id", "name", "kind", "format"]
        ),
        therapists=pd.DataFrame(columns=["group_id", "therapist"]),
        roster=pd.DataFrame(),
        sessions=pd.DataFrame(sessions, columns=["group_id", "session_no", "date", "held"]),
        panel=empty_panel(),
        flags=pd.DataFrame(),
        endings=pd.DataFrame(
            [("G", "A", days[-1], 4.0, True), ("G", "B", days[-1], np.nan, True)],
            columns=["group_id", "member_id", "ended_on", "dropout_session", "outcome_known"],
        ),
    )


def test_a_dropout_ends_the_episode_at_its_session_once_the_group_has_ended() -> None:
    ended = episodes(_one_group(held_sessions=SESSIONS)).set_index("member_id")["ended_on"]
    assert ended.dt.year.to_dict() == {"A": 2025, "B": 2026}


def test_a_dropout_inferred_in_a_running_group_waits_for_the_groups_end() -> None:
    ended = episodes(_one_group(held_sessions=6)).set_index("member_id")["ended_on"]
    assert ended.dt.year.to_dict() == {"A": 2026, "B": 2026}


def test_a_thin_baseline_gives_no_expectation_and_a_thin_year_no_figure() -> None:
    rng = np.random.default_rng(5)
    inputs = _inputs(_cohort(rng, 2025, 1, (13, 18), 1.0), _cohort(rng, 2026, 40, (13, 18), 1.0))
    thin_then, later = quality(inputs, COURSE, SCALE, [year(2025), year(2026)], year(2025))
    assert thin_then.dropout == Comparison(None, None)
    assert thin_then.unadjusted_recovered.observed is None
    assert later.dropout.observed is not None
    assert later.dropout.expected is None
    assert later.unadjusted_recovered.expected is None
    assert later.response_rate.expected is None

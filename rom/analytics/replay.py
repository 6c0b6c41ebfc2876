"""Flags session by session from only the data available then; current flags are the last step.

Factors and course columns are causal (each row sees its member's past only), so they are
computed once. The expected course and the dropout weights change over time: for the sessions
of a calendar month they are fitted on the cases that had closed before that month began.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rom.analytics.climate import group_climate, group_flags
from rom.analytics.closed_cases import closed_before, endings
from rom.analytics.columns import DATE, FORMAT, GROUP, MEMBER, PLANNED, SESSION, SESSIONS_LEFT
from rom.analytics.dropout import (
    DropoutModel,
    dropout_labels,
    factors,
    fitted_model,
)
from rom.analytics.expected_course import ExpectedCourse, fitted_course
from rom.analytics.inputs import Frames
from rom.analytics.panel import MKEY, build_panel
from rom.analytics.signals import add_course_columns, combine, member_flags


@dataclass
class Replay:
    flags: pd.DataFrame
    panel: pd.DataFrame
    models: dict[pd.Timestamp, tuple[ExpectedCourse, DropoutModel]] = field(default_factory=dict)
    dropout_risk: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    """The dropout risk shown at every member-session (flagged or not), by the model of then."""


def course_panel(frames: Frames) -> pd.DataFrame:
    """The panel with each member's course so far and the sessions their group has left:
    what reports read (the flags also need the dropout factors: prepared_panel)."""
    panel = add_course_columns(
        build_panel(frames.sessions, frames.attendance, frames.scores, frames.critical)
    )
    panel[SESSIONS_LEFT] = sessions_left(panel, frames.groups)
    return panel


def prepared_panel(frames: Frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The course panel and the dropout factors at each of its rows: what the flags read."""
    panel = course_panel(frames)
    return panel, factors(panel)


def sessions_left(panel: pd.DataFrame, groups: pd.DataFrame) -> pd.Series:
    """Per row: how many planned sessions a closed group has after this one (NaN when the
    group is slow-open: it has no end)."""
    closed = groups[groups[FORMAT] == "closed"].set_index(GROUP)[PLANNED]
    return panel[GROUP].map(closed) - panel[SESSION]


def replay(frames: Frames) -> Replay:
    panel, values = prepared_panel(frames)
    cases = endings(frames, panel)
    epochs = panel[DATE].dt.to_period("M").dt.start_time
    parts, models, risks = [], {}, []
    for epoch, index in panel.groupby(epochs).groups.items():
        course, model = models_at(panel, values, cases, epoch)
        models[epoch] = (course, model)
        parts.append(member_flags(panel.loc[index], values.loc[index], course, model))
        risks.append(model.probability(values.loc[index]))
    flags = combine(parts)
    flags = combine([flags, group_flags(group_climate(panel), flags)])
    risk = pd.concat(risks).sort_index() if risks else pd.Series(dtype=float)
    return Replay(_ordered(flags), panel, models, risk)


def models_at(
    panel: pd.DataFrame, values: pd.DataFrame, cases: pd.DataFrame, day: pd.Timestamp
) -> tuple[ExpectedCourse, DropoutModel]:
    """The expected course and dropout model as they could be fitted on `day`."""
    return fitted_models(*learning_rows(panel, values, cases, day))


def learning_rows(
    panel: pd.DataFrame, values: pd.DataFrame, cases: pd.DataFrame, day: pd.Timestamp
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The panel rows of the cases closed before `day`, with how each ended, and their factor
    values: all that a fit on `day` learns from."""
    closed = closed_before(cases, day).set_index([GROUP, MEMBER])
    in_closed = pd.MultiIndex.from_frame(panel[[GROUP, MEMBER]]).isin(closed.index)
    rows = panel[in_closed].join(closed, on=[GROUP, MEMBER])
    return rows, values.loc[rows.index]


def fitted_models(rows: pd.DataFrame, values: pd.DataFrame) -> tuple[ExpectedCourse, DropoutModel]:
    """The expected course and dropout model fitted on closed cases' rows and factor values."""
    course = fitted_course(rows)
    known = rows[rows["outcome_known"]]
    labels = dropout_labels(known, known["dropout_session"])
    model = fitted_model(values.loc[known.index], labels, known[MKEY])
    return course, model


def current_flags(
    frames: Frames,
    as_of: pd.Timestamp,
    models: tuple[ExpectedCourse, DropoutModel] | None = None,
) -> pd.DataFrame:
    """Flags at each group's latest held session on or before `as_of`, by the given models (the
    ones fitted on the cases closed before that day), else by models fitted on these frames."""
    frames = frames.until(as_of)
    panel, values = prepared_panel(frames)
    latest = panel.groupby(GROUP)[SESSION].transform("max")
    current = panel[panel[SESSION] == latest]
    course, model = models or models_at(panel, values, endings(frames, panel), as_of)
    flags = member_flags(current, values.loc[current.index], course, model)
    climate = group_climate(panel)
    climate = climate[climate[SESSION] == climate.groupby(GROUP)[SESSION].transform("max")]
    return _ordered(combine([flags, group_flags(climate, flags)]))


SEVERITY_ORDER = {"critical": 0, "high": 1, "medium": 2, "low": 3}


def _ordered(flags: pd.DataFrame) -> pd.DataFrame:
    if flags.empty:
        return flags
    rank = flags["severity"].map(SEVERITY_ORDER)
    return (
        flags.assign(_rank=rank)
        .sort_values([GROUP, SESSION, "_rank", MEMBER], na_position="last")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def course_as_of(frames: Frames, as_of: pd.Timestamp) -> ExpectedCourse:
    """The expected course as the platform could fit it on `as_of` (shipped defaults until
    there are enough closed cases)."""
    return models_as_of(frames, as_of)[0]


def models_as_of(frames: Frames, as_of: pd.Timestamp) -> tuple[ExpectedCourse, DropoutModel]:
    """The expected course and the dropout model as the platform could fit them on `as_of`."""
    return fitted_models(*learning_rows_as_of(frames, as_of))


def learning_rows_as_of(frames: Frames, as_of: pd.Timestamp) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a fit on `as_of` learns from in these frames (see learning_rows)."""
    frames = frames.until(as_of)
    panel, values = prepared_panel(frames)
    return learning_rows(panel, values, endings(frames, panel), as_of)

"""Member flags per session row: critical item, deterioration, not on track, dropout risk,
recovered. Every flag carries its reasons as codes with numbers (words in rom/flag_reasons.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from rom.analytics.columns import GROUP, MEMBER, OWN, SESSION
from rom.analytics.dropout import (
    FACTORS,
    FLAG_PROBABILITY,
    HIGH_PROBABILITY,
    DropoutModel,
)
from rom.analytics.expected_course import ExpectedCourse
from rom.analytics.panel import first_value, last_known, recent_mean, rolling_count

RELIABLE_CHANGE = 6.0  # PHQ-9 (see questionnaires/instruments/phq9.yaml)
CUTOFF = 10.0
NOT_ON_TRACK_FROM = 3
INTAKE_WITHIN = 3  # the intake is the first PHQ-9 among a member's first three sessions
SHORTFALL = 1.25  # points behind the median expected course, averaged over recent scores
SHORTFALL_WINDOW = 4
MIN_INTAKE = 5.0  # below this there is no room to improve to speak of
FLAG_COLUMNS = [GROUP, MEMBER, SESSION, "kind", "severity", "score", "reasons", "action"]


def add_course_columns(panel: pd.DataFrame) -> pd.DataFrame:
    """Intake, recent levels and change from intake: the columns every rule reads."""
    panel = panel.copy()
    panel["intake"] = first_value(panel, "phq9", within=INTAKE_WITHIN)
    panel["gad7_intake"] = first_value(panel, "gad7", within=INTAKE_WITHIN)
    panel["phq9_recent"] = recent_mean(panel, "phq9", 3)
    panel["phq9_last"] = last_known(panel, "phq9")
    previous = panel["phq9"].where(panel["phq9"].notna())
    panel["phq9_previous"] = _previous_known(panel, previous)
    panel["scores_since_intake"] = (
        panel["phq9"].notna().astype(int).groupby(panel["member_key"]).cumsum() - 1
    ).clip(lower=0)
    panel["change"] = panel["phq9_recent"] - panel["intake"]
    return panel


def _previous_known(panel: pd.DataFrame, values: pd.Series) -> pd.Series:
    """The last known value before the latest known one, per member."""
    shifted = values.groupby(panel["member_key"]).shift()
    known_before = shifted.groupby(panel["member_key"]).ffill()
    return known_before.where(values.notna()).groupby(panel["member_key"]).ffill()


def member_flags(
    panel: pd.DataFrame, values: pd.DataFrame, course: ExpectedCourse, model: DropoutModel
) -> pd.DataFrame:
    """Flags for the rows of `panel`, whose causal columns and dropout factors (`values`,
    same index) were computed on the member's whole history up to each row."""
    parts = [
        _critical(panel),
        _deterioration(panel),
        _not_on_track(panel, course),
        _dropout(panel, values, model),
        _recovered(panel),
    ]
    return combine(parts)


def combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Flag frames stacked; an empty frame with the flag columns when there are none."""
    found = [part for part in parts if len(part)]
    if not found:
        return pd.DataFrame(columns=FLAG_COLUMNS)
    return pd.concat(found, ignore_index=True).reindex(columns=FLAG_COLUMNS)


def _rows(
    panel: pd.DataFrame,
    mask: pd.Series,
    kind: str,
    severity: pd.Series | str,
    score: pd.Series | float | None,
    reasons: pd.Series,
    action: str,
) -> pd.DataFrame:
    chosen = panel.loc[mask, [GROUP, MEMBER, SESSION]].copy()
    chosen["kind"] = kind
    chosen["severity"] = severity[mask] if isinstance(severity, pd.Series) else severity
    chosen["score"] = score[mask] if isinstance(score, pd.Series) else score
    chosen["reasons"] = reasons[mask] if len(chosen) else []
    chosen["action"] = action
    return chosen


def _critical(panel: pd.DataFrame) -> pd.DataFrame:
    mask = panel["critical"] > 0
    reasons = pd.Series([[{"code": "critical_answer"}]] * len(panel), index=panel.index)
    return _rows(panel, mask, "critical_item", "critical", None, reasons, "contact_today")


def _deterioration(panel: pd.DataFrame) -> pd.DataFrame:
    worse_now = panel["phq9"] - panel["intake"]
    worse_before = panel["phq9_previous"] - panel["intake"]
    mask = (worse_now >= RELIABLE_CHANGE) & (worse_before >= RELIABLE_CHANGE)
    reasons = _each(
        panel,
        mask,
        lambda r: [
            {
                "code": "reliable_worsening",
                "intake": r.intake,
                "now": r.phq9,
                "before": r.phq9_previous,
                "threshold": RELIABLE_CHANGE,
            }
        ],
    )
    return _rows(panel, mask, "deterioration", "high", worse_now, reasons, "discuss_in_team")


def _not_on_track(panel: pd.DataFrame, course: ExpectedCourse) -> pd.DataFrame:
    """Behind the expected course: over the last scores, the member improved on average at
    least SHORTFALL points less than the median of people who started at the same severity had
    by the same session (one score only: twice that). Both symptom measures count: the shortfall
    of a session is the mean of the PHQ-9's and the GAD-7's, each against its own intake, so that
    one measure's noise weighs half (the GAD-7 follows the PHQ-9's expected course as a share of
    its room to improve)."""
    phq_band = course.band_at(panel["intake"].fillna(0), panel[OWN])
    phq_short = _shortfall(panel, "phq9", "intake", course)
    gad_short = _shortfall(panel, "gad7", "gad7_intake", course)
    shortfall = pd.concat([phq_short, gad_short], axis=1).mean(axis=1)
    frame = panel.assign(x_shortfall=shortfall)
    recent = recent_mean(frame, "x_shortfall", SHORTFALL_WINDOW)
    measured = rolling_count(frame, "x_shortfall", SHORTFALL_WINDOW)
    eligible = (panel[OWN] >= NOT_ON_TRACK_FROM) & (panel["intake"] >= MIN_INTAKE)
    behind = ((measured >= 2) & (recent >= SHORTFALL)) | (
        (measured == 1) & (recent >= 2 * SHORTFALL)
    )
    mask = eligible & behind
    frame = frame.assign(x_p50=phq_band[50], x_short=recent)
    reasons = _each(
        frame,
        mask,
        lambda r: [
            {
                "code": "below_expected_course",
                "session": int(r.own_session),
                "now": r.phq9_last,
                "intake": r.intake,
                "expected": r.intake - r.x_p50,
                "shortfall": r.x_short,
            }
        ],
    )
    return _rows(panel, mask, "not_on_track", "medium", recent.round(1), reasons, "step_up")


def _shortfall(panel: pd.DataFrame, column: str, intake: str, course: ExpectedCourse) -> pd.Series:
    """Points by which a score is behind the median expected improvement from the intake."""
    band = course.band_at(panel[intake].fillna(0), panel[OWN])
    improved = panel[intake] - panel[column]
    return (band[50] - improved).where(panel[OWN] >= 2)


def _dropout(panel: pd.DataFrame, values: pd.DataFrame, model: DropoutModel) -> pd.DataFrame:
    probability = model.probability(values)
    mask = probability >= FLAG_PROBABILITY
    severity = pd.Series(
        np.where(probability >= HIGH_PROBABILITY, "high", "medium"), index=panel.index
    )
    contributions = model.contributions(values)
    explained = contributions.join(values.add_suffix("_value")).assign(chance=probability)
    reasons = _each(explained, mask, _dropout_reasons)
    return _rows(panel, mask, "dropout_risk", severity, probability.round(2), reasons, "contact")


def _dropout_reasons(row: tuple) -> list[dict]:
    pushes = sorted(
        ((getattr(row, name), name) for name in FACTORS if getattr(row, name) > 0.05),
        reverse=True,
    )
    chance = {"code": "dropout_chance", "percent": round(100 * float(row.chance))}
    return [
        chance,
        *(
            {"code": f"dropout_{name}", "value": float(getattr(row, f"{name}_value"))}
            for _, name in pushes[:4]
        ),
    ]


def _recovered(panel: pd.DataFrame) -> pd.DataFrame:
    def recovered_at(score: pd.Series) -> pd.Series:
        return (score < CUTOFF) & (panel["intake"] - score >= RELIABLE_CHANGE)

    mask = (
        (panel["intake"] >= CUTOFF)
        & recovered_at(panel["phq9"])
        & recovered_at(panel["phq9_previous"])
    )
    reasons = _each(
        panel,
        mask,
        lambda r: [
            {
                "code": "recovered_twice",
                "intake": r.intake,
                "now": r.phq9,
                "before": r.phq9_previous,
                "cutoff": CUTOFF,
            }
        ],
    )
    return _rows(
        panel, mask, "recovered", "low", panel["intake"] - panel["phq9"], reasons, "step_down"
    )


def _each(frame: pd.DataFrame, mask: pd.Series, build) -> pd.Series:
    """Reasons for the masked rows only (building them row by row is the slow part)."""
    built = pd.Series(
        [build(row) for row in frame[mask].itertuples(index=False)],
        index=frame.index[mask],
        dtype=object,
    )
    return built.reindex(frame.index)

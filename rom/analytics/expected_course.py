"""Expected treatment response: percentile bands of improvement by session and intake severity.

In the spirit of Lambert's expected recovery curves (Finch, Lambert & Schaalje, 2001): for
people who started at a given severity, how much had they improved by their k-th session?
Improvement is expressed as a share of the room to improve (intake minus a floor), so one
curve per percentile serves a whole intake band.

Shipped defaults (used until the platform has enough closed cases): an exponential approach
with a time constant of 4 sessions; the median member gains 40% of the room to improve by the
end of a 12-20 session course, in line with pre-post effects of group CBT for depression
(pre-post g of about 0.8-1.0; Okumura & Ichikura, J Affect Disord 2014), and the spread is wide
enough that about a third of members show no reliable change, as routinely reported for group
and individual therapy (Lambert, 2013). These are Kring's approximations, documented here and
replaced by the platform's own data as soon as it has MIN_CLOSED_CASES closed cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from rom.analytics.columns import OWN

PERCENTILES = (10, 25, 50, 75, 90)
FLOOR = 2.0  # PHQ-9 points: the score a fully recovered member tends to level off at
MAX_SESSION = 24  # beyond this the curve stays flat
MIN_CLOSED_CASES = 100
MIN_CELL = 20
TIME_CONSTANT = 4.0
DEFAULT_FRACTIONS = {10: -0.15, 25: 0.05, 50: 0.40, 75: 0.60, 90: 0.75}
INTAKE_BANDS = (
    (0, 10, "mild"),
    (10, 15, "moderate"),
    (15, 20, "moderately_severe"),
    (20, 28, "severe"),
)


@dataclass(frozen=True)
class ExpectedCourse:
    """Fractions of the room to improve, indexed by (intake band, own session) x percentile."""

    fractions: pd.DataFrame
    source: str
    closed_cases: int

    def band_at(self, intake: pd.Series, own: pd.Series) -> pd.DataFrame:
        """Expected improvement in points at each row, one column per percentile."""
        keys = pd.MultiIndex.from_arrays([intake_band(intake), own.clip(1, MAX_SESSION)])
        looked_up = self.fractions.reindex(keys)
        room = (intake - FLOOR).clip(lower=1.0).to_numpy()[:, None]
        points = looked_up.to_numpy() * room
        return pd.DataFrame(points, index=intake.index, columns=list(self.fractions.columns))

    def points_for(self, intake: float, owns: Sequence[int]) -> dict[int, list[float]] | None:
        """band_at for one member: expected improvement in points at each own session, per
        percentile (for a single page, where pandas' per-call cost is most of the work); None
        where the course has no cell for a session."""
        band, room = band_name(intake), max(intake - FLOOR, 1.0)
        looked_up = [self._cells.get((band, min(max(own, 1), MAX_SESSION))) for own in owns]
        cells = [cell for cell in looked_up if cell is not None]
        if len(cells) < len(looked_up):
            return None
        return {p: [cell[p] * room for cell in cells] for p in PERCENTILES}

    @cached_property
    def _cells(self) -> dict[tuple[str, int], dict[int, float]]:
        return {
            (band, int(own)): {int(p): float(value) for p, value in row.items()}
            for (band, own), row in self.fractions.iterrows()
        }


def band_name(intake: float) -> str:
    """The intake band of one score (as intake_band does for a Series)."""
    for low, high, name in INTAKE_BANDS:
        if low <= intake < high:
            return name
    return "mild"


def intake_band(intake: pd.Series) -> pd.Series:
    labels = pd.Series("mild", index=intake.index, dtype=object)
    for low, high, name in INTAKE_BANDS:
        labels[(intake >= low) & (intake < high)] = name
    return labels


def default_course() -> ExpectedCourse:
    sessions = np.arange(1, MAX_SESSION + 1)
    progress = 1 - np.exp(-(sessions - 1) / TIME_CONSTANT)
    rows = []
    for _, _, band in INTAKE_BANDS:
        for session, share in zip(sessions, progress, strict=True):
            rows.append(
                {
                    "band": band,
                    OWN: session,
                    **{p: DEFAULT_FRACTIONS[p] * share for p in PERCENTILES},
                }
            )
    fractions = pd.DataFrame(rows).set_index(["band", OWN])
    return ExpectedCourse(fractions, "Kring defaults (see rom/analytics/expected_course.py)", 0)


def fitted_course(closed: pd.DataFrame) -> ExpectedCourse:
    """Refit from closed cases' rows (columns intake, phq9, own_session, member_key).

    Falls back to the defaults when there are fewer than MIN_CLOSED_CASES members; a band and
    session with fewer than MIN_CELL observations borrows the pooled curve of all bands.
    """
    cases = closed["member_key"].nunique() if len(closed) else 0
    if cases < MIN_CLOSED_CASES:
        return default_course()
    rows = closed.dropna(subset=["intake", "phq9"])
    rows = rows.assign(
        band=intake_band(rows["intake"]),
        session=rows[OWN].clip(1, MAX_SESSION),
        fraction=(rows["intake"] - rows["phq9"]) / (rows["intake"] - FLOOR).clip(lower=1.0),
    )
    pooled = _percentiles(rows, ["session"])
    by_band = _percentiles(rows, ["band", "session"])
    fractions = _fill_cells(by_band, pooled)
    return ExpectedCourse(fractions, f"fitted on {cases} closed cases", cases)


def _percentiles(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = rows.groupby(keys)["fraction"]
    table = grouped.quantile([p / 100 for p in PERCENTILES]).unstack()
    table.columns = list(PERCENTILES)
    table["n"] = grouped.size()
    return table


def _fill_cells(by_band: pd.DataFrame, pooled: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, _, band in INTAKE_BANDS:
        for session in range(1, MAX_SESSION + 1):
            cell = by_band.loc[(band, session)] if (band, session) in by_band.index else None
            if cell is None or cell["n"] < MIN_CELL:
                cell = _pooled_at(pooled, session)
            rows.append({"band": band, OWN: session, **{p: cell[p] for p in PERCENTILES}})
    table = pd.DataFrame(rows).set_index(["band", OWN])
    smoothed = table.groupby(level="band").transform(
        lambda s: s.rolling(3, min_periods=1, center=True).median()
    )
    return smoothed


def _pooled_at(pooled: pd.DataFrame, session: int) -> pd.Series:
    available = pooled[pooled["n"] >= MIN_CELL]
    if available.empty:
        return pd.Series(dict.fromkeys(PERCENTILES, 0.0))
    nearest = available.index[np.abs(available.index.to_numpy() - session).argmin()]
    return available.loc[nearest]


def course_as_records(course: ExpectedCourse) -> list[dict]:
    """The course as JSON-safe rows: band, own session and one value per percentile."""
    table = course.fractions.reset_index()
    table.columns = [str(c) for c in table.columns]
    return [
        {k: (v if isinstance(v, str) else float(v)) for k, v in row.items()}
        for row in table.to_dict("records")
    ]


def course_from_records(records: list[dict], source: str, closed_cases: int) -> ExpectedCourse:
    table = pd.DataFrame(records)
    table[OWN] = table[OWN].astype(int)
    table = table.rename(columns={str(p): p for p in PERCENTILES}).set_index(["band", OWN])
    return ExpectedCourse(table[list(PERCENTILES)], source, closed_cases)

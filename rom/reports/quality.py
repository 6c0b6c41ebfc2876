"""Quality over time, adjusted for case mix: did growth keep quality?

A year with more severe intakes recovers less often for no fault of the teams, so each period's
outcomes are set beside what that period's own intakes were expected to reach (indirect
standardisation):

- an episode is a membership that ended in the period (its recorded end, or its group's last
  planned session), counted for outcomes when it has two PHQ-9 scores: the first and the last;
- expected outcome: the expected course gives, for the intake's severity band and the session
  of the last score, the spread of improvement as a share of the room to improve (percentiles
  10-90, linear between them and normal beyond). From it each episode's chance to recover,
  improve reliably, stay unchanged or deteriorate (Jacobson-Truax, with the scale's reliable
  change and cut-off) and its expected change; the expected share is the mean chance;
- difference: observed minus expected share, with a 95% interval from the binomial variance of
  the episodes' chances (sum of p(1-p), over n squared);
- severity-adjusted effect size: the mean of (observed change minus expected change), in units
  of the scale's standard deviation in the norm population, with its 95% interval;
- dropout: against the baseline year's dropout rate per intake band, applied to the period's
  episodes; response rate: against the baseline year, unadjusted;
- kept: neither the share recovered nor the adjusted effect size below what was expected beyond
  its interval (an interval that includes no difference counts as kept); better: one of them
  above it and neither below; fewer than MIN_EPISODES episodes are not judged and not shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from questionnaires import Scale
from questionnaires.change import classify_change
from rom.analytics.columns import DATE, GROUP, HELD, MEMBER, OWN, SESSION
from rom.analytics.expected_course import (
    FLOOR,
    MAX_SESSION,
    PERCENTILES,
    ExpectedCourse,
    intake_band,
)
from rom.reports.summary import OUTCOMES, Period, ReportInputs

MIN_EPISODES = 10  # smaller cells are suppressed: no figure, no verdict
Z = 1.959964
KEPT, BETTER, FALLEN, TOO_FEW = "kept", "better", "fallen", "too_few"
NO_SCORES = "unmeasured"  # the intake band of an episode without a PHQ-9 score

_NORMAL = NormalDist()
_POSITIONS = np.array([p / 100 for p in PERCENTILES])  # of the expected course
_Z_AT = np.array([_NORMAL.inv_cdf(p) for p in _POSITIONS])
_MIN_SPREAD = 0.25  # points: a tail never narrower than this
_MEAN_STEPS = 109  # quarter points over the PHQ-9's whole range


@dataclass(frozen=True)
class Comparison:
    """An observed figure beside its expectation, with the 95% interval of the difference."""

    observed: float | None
    expected: float | None
    low: float | None = None
    high: float | None = None

    @property
    def difference(self) -> float | None:
        if self.observed is None or self.expected is None:
            return None
        return self.observed - self.expected

    @property
    def below(self) -> bool:
        """Lower than expected beyond the interval."""
        return self.high is not None and self.high < 0

    @property
    def above(self) -> bool:
        """Higher than expected beyond the interval."""
        return self.low is not None and self.low > 0


@dataclass(frozen=True)
class Quality:
    """One period's quality for one selection of groups."""

    period: Period
    episodes: int  # ended in the period
    measured: int  # of those, with a first and a last PHQ-9
    outcomes: dict[str, Comparison]  # adjusted for the intakes
    effect_size: Comparison  # observed and expected change in SD units
    unadjusted_recovered: Comparison  # the share recovered against the baseline year's
    dropout: Comparison
    response_rate: Comparison

    @property
    def verdict(self) -> str:
        if self.measured < MIN_EPISODES:
            return TOO_FEW
        recovered = self.outcomes["recovered"]
        if recovered.below or self.effect_size.below:
            return FALLEN
        return BETTER if recovered.above or self.effect_size.above else KEPT


def episodes(inputs: ReportInputs) -> pd.DataFrame:
    """Per ended membership: group, member, ended_on, dropped, and its first and last PHQ-9
    (first, last, own sessions of both, measured). A dropout inferred in a group that has
    ended is dated by the session it dropped out at; in a group still running it waits for
    the group's end, as the inference may yet turn out wrong."""
    ended = inputs.endings.dropna(subset=["ended_on"])
    scored = inputs.panel.dropna(subset=["phq9"]).sort_values([GROUP, MEMBER, SESSION])
    scores = scored.groupby([GROUP, MEMBER]).agg(
        first=("phq9", "first"),
        last=("phq9", "last"),
        first_own=(OWN, "first"),
        last_own=(OWN, "last"),
        measured=("phq9", "size"),
    )
    table = ended.merge(scores.reset_index(), on=[GROUP, MEMBER], how="left")
    table["measured"] = table["measured"].fillna(0).astype(int)
    table["dropped"] = table["dropout_session"].notna()
    held = inputs.sessions.loc[inputs.sessions[HELD].astype(bool), DATE]
    if len(held):
        over = pd.to_datetime(table["ended_on"]) <= pd.Timestamp(held.max())
        dated = _dropout_day(table, inputs.sessions).where(over)
        table["ended_on"] = dated.fillna(table["ended_on"])
    return table


def _dropout_day(table: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """The date of the session a member dropped out at (NaT for the others): a dropout ends
    the episode then, not when the group ends."""
    keys = table[[GROUP, "dropout_session"]].rename(columns={"dropout_session": SESSION})
    keys[SESSION] = pd.to_numeric(keys[SESSION], errors="coerce")
    days = sessions[[GROUP, SESSION, DATE]].assign(**{SESSION: lambda f: f[SESSION].astype(float)})
    dated = keys.merge(days, on=[GROUP, SESSION], how="left")
    return pd.Series(pd.to_datetime(dated[DATE]).to_numpy(), index=table.index)


def scored_episodes(inputs: ReportInputs, course: ExpectedCourse, scale: Scale) -> pd.DataFrame:
    """Every ended episode with its outcome and the chances the expected course gave it."""
    table = episodes(inputs)
    table = table.join(expected_chances(table, course, scale))
    table["outcome"] = classify_change(table["first"], table["last"], scale)
    return table


def quality(
    inputs: ReportInputs,
    course: ExpectedCourse,
    scale: Scale,
    periods: list[Period],
    baseline: Period,
    group_ids: set[str] | None = None,
    scored: pd.DataFrame | None = None,
) -> list[Quality]:
    """Per period: the adjusted outcomes, dropout and response rate of the selected groups
    (`scored`: scored_episodes, when the caller asks for several selections)."""
    table = scored_episodes(inputs, course, scale) if scored is None else scored
    chosen = [baseline, *periods]
    sums = episode_sums(table, chosen, scale)
    return quality_of(sums, response_counts(inputs.panel, chosen), periods, baseline, group_ids)


def quality_of(
    sums: pd.DataFrame,
    answered: pd.DataFrame,
    periods: list[Period],
    baseline: Period,
    group_ids: set[str] | None = None,
) -> list[Quality]:
    """`quality` from the episode sums and response counts of these periods, summed over the
    chosen groups (what the scheduler prepares for the management dashboard)."""
    if group_ids is not None:
        sums = sums[sums[GROUP].isin(group_ids)]
        answered = answered[answered[GROUP].isin(group_ids)]
    reference = _by_band(sums, baseline)
    then = _answered_in(answered, baseline)
    return [
        _quality(_by_band(sums, period), reference, _answered_in(answered, period), then, period)
        for period in periods
    ]


SUMMED = ["episodes", "dropped", "measured", "change", "expected", "gap", "gap_squared"]
SUMMED += [f"{part}_{outcome}" for part in ("n", "p", "pq") for outcome in OUTCOMES]


def episode_sums(scored: pd.DataFrame, periods: list[Period], scale: Scale) -> pd.DataFrame:
    """Per group, period and intake band, the counts and sums quality is made of (episodes,
    dropouts, measured, each outcome, each outcome's chances and their variance, the change
    and expected change in standard deviations): any choice of groups adds them up, and no
    member's own figures are kept."""
    parts = []
    for period in dict.fromkeys(periods):
        rows = _within(scored, period)
        measured = rows["measured"] >= 2
        change = ((rows["first"] - rows["last"]) / scale.norms.sd).where(measured, 0.0)
        expected = (rows["expected_change"] / scale.norms.sd).where(measured, 0.0)
        columns = {
            GROUP: rows[GROUP],
            "band": rows["band"].astype(str),
            "episodes": 1,
            "dropped": rows["dropped"].astype(int),
            "measured": measured.astype(int),
            "change": change,
            "expected": expected,
            "gap": change - expected,
            "gap_squared": (change - expected) ** 2,
        }
        for outcome in OUTCOMES:
            chance = rows[f"p_{outcome}"].where(measured, 0.0)
            columns[f"n_{outcome}"] = (measured & (rows["outcome"] == outcome)).astype(int)
            columns[f"p_{outcome}"] = chance
            columns[f"pq_{outcome}"] = chance * (1 - chance)
        summed = pd.DataFrame(columns, index=rows.index).groupby([GROUP, "band"]).sum()
        parts.append(summed.reset_index().assign(start=period.start, end=period.end))
    return _stacked(parts, [GROUP, "band", "start", "end", *SUMMED])


def _by_band(sums: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The period's sums over the chosen groups, one row per intake band."""
    return _of_period(sums, period).groupby("band")[SUMMED].sum()


def _stacked(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """The periods' parts one below the other (the columns alone when there are none)."""
    found = [part[columns] for part in parts if len(part)]
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=columns)


def _of_period(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The rows of `episode_sums` or `response_counts` for one period."""
    return frame[(frame["start"] == period.start) & (frame["end"] == period.end)]


def response_counts(panel: pd.DataFrame, periods: list[Period]) -> pd.DataFrame:
    """Per group and period: its member-session rows, how many of them were answered and how
    many members they were (the response rate's parts; summed over any choice of groups)."""
    parts = []
    for period in dict.fromkeys(periods):
        rows = panel[period.contains(panel[DATE])]
        counts = rows.groupby(GROUP).agg(
            rows=("responded", "size"),
            responded=("responded", "sum"),
            members=(MEMBER, "nunique"),
        )
        parts.append(counts.reset_index().assign(start=period.start, end=period.end))
    counts = _stacked(parts, [GROUP, "start", "end", "rows", "responded", "members"])
    return counts.astype({"rows": int, "responded": int, "members": int})


def _answered_in(answered: pd.DataFrame, period: Period) -> tuple[int, int, int]:
    """The period's answered rows, rows and members over the groups in `answered`."""
    rows = _of_period(answered, period)
    return int(rows["responded"].sum()), int(rows["rows"].sum()), int(rows["members"].sum())


def _within(table: pd.DataFrame, period: Period) -> pd.DataFrame:
    return table[period.contains(table["ended_on"])]


def _quality(
    bands: pd.DataFrame,
    reference: pd.DataFrame,
    now: tuple[int, int, int],
    then: tuple[int, int, int],
    period: Period,
) -> Quality:
    total, base = bands.sum(), reference.sum()
    measured = int(total["measured"])
    return Quality(
        period=period,
        episodes=int(total["episodes"]),
        measured=measured,
        outcomes={name: _adjusted(total, name) for name in OUTCOMES},
        effect_size=_effect_size(total),
        unadjusted_recovered=_against(
            (int(total["n_recovered"]), measured, measured),
            (int(base["n_recovered"]), int(base["measured"]), int(base["measured"])),
        ),
        dropout=_dropout(bands, reference),
        response_rate=_against(now, then),
    )


def _adjusted(total: pd.Series, outcome: str) -> Comparison:
    count = total["measured"]
    if count == 0:
        return Comparison(None, None)
    observed = float(total[f"n_{outcome}"] / count)
    sd = math.sqrt(float(total[f"pq_{outcome}"])) / count
    return _interval(observed, float(total[f"p_{outcome}"] / count), sd)


def _interval(observed: float, expected: float, sd: float) -> Comparison:
    difference = observed - expected
    return Comparison(observed, expected, difference - Z * sd, difference + Z * sd)


def _effect_size(total: pd.Series) -> Comparison:
    """The mean change against the mean expected change, in standard deviations of the norm
    population, with the interval from the spread of their differences."""
    count = int(total["measured"])
    if count < 2:
        return Comparison(None, None)
    gap, squares = float(total["gap"]), float(total["gap_squared"])
    variance = max((squares - gap * gap / count) / (count - 1), 0.0)
    spread = math.sqrt(variance) / math.sqrt(count)
    return _interval(float(total["change"]) / count, float(total["expected"]) / count, spread)


def _against(now: tuple[int, int, int], then: tuple[int, int, int]) -> Comparison:
    """A share against the same share in the baseline year (unadjusted), each given as (hits,
    of how many, members); neither side is given when it rests on fewer than MIN_EPISODES
    members."""
    hits, count, members = now
    if count == 0 or members < MIN_EPISODES:
        return Comparison(None, None)
    observed = hits / count
    base_hits, base_count, base_members = then
    if base_count == 0 or base_members < MIN_EPISODES:
        return Comparison(observed, None)
    expected = base_hits / base_count
    sd = math.sqrt(observed * (1 - observed) / count + expected * (1 - expected) / base_count)
    return _interval(observed, expected, sd)


def _dropout(bands: pd.DataFrame, reference: pd.DataFrame) -> Comparison:
    """Dropout against the baseline year's rate for intakes of the same severity band (the
    year's overall rate for a band with fewer than MIN_EPISODES); neither side is given when it
    rests on fewer than MIN_EPISODES episodes."""
    episodes = int(bands["episodes"].sum())
    if episodes < MIN_EPISODES:
        return Comparison(None, None)
    observed = float(bands["dropped"].sum() / episodes)
    base_episodes = int(reference["episodes"].sum())
    if base_episodes < MIN_EPISODES:
        return Comparison(observed, None)
    overall = float(reference["dropped"].sum() / base_episodes)
    enough = reference[reference["episodes"] >= MIN_EPISODES]
    rates = (enough["dropped"] / enough["episodes"]).reindex(bands.index).fillna(overall)
    counts = bands["episodes"].astype(float)
    expected = float((counts * rates).sum() / episodes)
    sd = math.sqrt(float((counts * rates * (1 - rates)).sum())) / episodes
    return _interval(observed, expected, sd)


def expected_chances(table: pd.DataFrame, course: ExpectedCourse, scale: Scale) -> pd.DataFrame:
    """Per episode: its intake band, the chance of each outcome and the expected change in
    points, from the expected course at the session of its last score (NaN without two
    scores)."""
    first = table["first"]
    band = intake_band(first.fillna(0)).where(first.notna(), NO_SCORES)
    measured = table["measured"] >= 2
    result = pd.DataFrame(index=table.index, data={"band": band})
    for outcome in OUTCOMES:
        result[f"p_{outcome}"] = np.nan
    result["expected_change"] = np.nan
    if not measured.any():
        return result
    rows = table[measured]
    first = rows["first"].to_numpy(dtype=float)
    since_first = rows["last_own"] - rows["first_own"] + 1
    gains = _gain_quantiles(rows["first"], since_first, course)
    norms = scale.norms
    lowest, highest = first - scale.maximum, first - scale.minimum  # what the range allows
    reliable = math.ceil(norms.reliable_change - 1e-9) - 0.5
    improve = _within_range(gains, np.full(len(rows), reliable), lowest, highest)
    worsen = 1 - _within_range(gains, np.full(len(rows), -reliable), lowest, highest)
    below_cutoff = np.maximum(reliable, first - norms.cutoff + 0.5)
    recover = np.where(
        first >= norms.cutoff, _within_range(gains, below_cutoff, lowest, highest), 0.0
    )
    result.loc[measured, "p_recovered"] = recover
    result.loc[measured, "p_improved"] = improve - recover
    result.loc[measured, "p_deteriorated"] = worsen
    result.loc[measured, "p_unchanged"] = 1 - improve - worsen
    result.loc[measured, "expected_change"] = _mean_gain(gains, lowest, highest)
    return result


def _within_range(
    gains: np.ndarray, thresholds: np.ndarray, lowest: np.ndarray, highest: np.ndarray
) -> np.ndarray:
    """P(improvement >= threshold) when the last score is held within the scale's range: the
    course's spread beyond it piles up at the scale's ends."""
    chance = _chance_at_least(gains, thresholds)
    return np.where(thresholds <= lowest, 1.0, np.where(thresholds > highest, 0.0, chance))


def _gain_quantiles(first: pd.Series, own: pd.Series, course: ExpectedCourse) -> np.ndarray:
    """Expected improvement in points at the course's percentiles; one row per episode, never
    decreasing along a row."""
    keys = pd.MultiIndex.from_arrays([intake_band(first), own.clip(1, MAX_SESSION).astype(int)])
    fractions = course.fractions.reindex(keys).to_numpy(dtype=float)
    points = fractions * (first - FLOOR).clip(lower=1.0).to_numpy()[:, None]
    return np.maximum.accumulate(points, axis=1)


def _tails(gains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The spread of a normal curve through the two outer percentiles on each side."""
    low = (gains[:, 1] - gains[:, 0]) / (_Z_AT[1] - _Z_AT[0])
    high = (gains[:, 4] - gains[:, 3]) / (_Z_AT[4] - _Z_AT[3])
    return np.maximum(low, _MIN_SPREAD), np.maximum(high, _MIN_SPREAD)


def _chance_at_least(gains: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """P(improvement >= threshold) per row: linear between the percentiles, normal beyond."""
    low_spread, high_spread = _tails(gains)
    rows = np.arange(len(gains))
    segment = np.clip((gains <= thresholds[:, None]).sum(axis=1) - 1, 0, len(_POSITIONS) - 2)
    start, end = gains[rows, segment], gains[rows, segment + 1]
    width = np.where(end > start, end - start, 1.0)
    share = np.where(end > start, np.clip((thresholds - start) / width, 0.0, 1.0), 1.0)
    below = _POSITIONS[segment] + share * np.diff(_POSITIONS)[segment]
    under, over = thresholds < gains[:, 0], thresholds > gains[:, -1]
    below[under] = _normal_cdf(_Z_AT[0] + (thresholds - gains[:, 0])[under] / low_spread[under])
    below[over] = _normal_cdf(_Z_AT[-1] + (thresholds - gains[:, -1])[over] / high_spread[over])
    return 1 - below


def _normal_cdf(z: np.ndarray) -> np.ndarray:
    return np.array([_NORMAL.cdf(float(value)) for value in z])


def _mean_gain(gains: np.ndarray, lowest: np.ndarray, highest: np.ndarray) -> np.ndarray:
    """The mean improvement, the last score held within the scale's range:
    lowest + the integral of P(improvement >= t) from lowest to highest."""
    steps = np.linspace(0.0, 1.0, _MEAN_STEPS)
    points = lowest[:, None] + steps[None, :] * (highest - lowest)[:, None]
    chances = np.column_stack([_chance_at_least(gains, points[:, k]) for k in range(_MEAN_STEPS)])
    widths = np.diff(points, axis=1)
    return lowest + ((chances[:, 1:] + chances[:, :-1]) / 2 * widths).sum(axis=1)

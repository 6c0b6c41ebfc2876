"""Scale scores from answers: reversed items, missing items, prorating, bands, critical items."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from questionnaires.model import CriticalItem, Instrument, Scale


class AnswerError(ValueError):
    """Answers that do not fit the instrument; nothing is guessed."""


@dataclass(frozen=True)
class ScaleScore:
    scale: str
    raw: float
    value: float | None
    items_missing: int
    valid: bool
    band: str | None
    reason: str | None = None


@dataclass(frozen=True)
class ScoreResult:
    instrument: str
    version: str
    scales: Mapping[str, ScaleScore]
    critical: tuple[CriticalItem, ...]


def score(instrument: Instrument, answers: Mapping[int, int | None]) -> ScoreResult:
    """Score one administration; answers map item number to value (None: not answered)."""
    given = _checked(instrument, answers)
    scales = {scale.id: _scale_score(instrument, scale, given) for scale in instrument.scales}
    return ScoreResult(
        instrument.id, instrument.version, scales, critical_answers(instrument, given)
    )


def critical_answers(
    instrument: Instrument, answers: Mapping[int, int | None]
) -> tuple[CriticalItem, ...]:
    """The instrument's critical items that these answers (complete or not) hit."""
    return tuple(c for c in instrument.critical_items if answers.get(c.item) in c.values)


def _checked(instrument: Instrument, answers: Mapping[int, int | None]) -> dict[int, int]:
    numbers = {item.number for item in instrument.items}
    given: dict[int, int] = {}
    for key, value in answers.items():
        if isinstance(key, bool) or not isinstance(key, int) or key not in numbers:
            raise AnswerError(f"{instrument.id}: item {key!r} does not exist")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise AnswerError(f"{instrument.id}: item {key}: {value!r} is not a whole number")
        if value not in instrument.item(key).values:
            allowed = sorted(instrument.item(key).values)
            raise AnswerError(f"{instrument.id}: item {key}: {value} is not one of {allowed}")
        given[key] = value
    return given


def _item_value(instrument: Instrument, scale: Scale, number: int, value: int) -> int:
    if number not in scale.reversed:
        return value
    item = instrument.item(number)
    return item.lowest + item.highest - value


def _scale_score(instrument: Instrument, scale: Scale, given: Mapping[int, int]) -> ScaleScore:
    values = [_item_value(instrument, scale, n, given[n]) for n in scale.items if n in given]
    missing = len(scale.items) - len(values)
    raw = float(sum(values)) if scale.method == "sum" else sum(values) / max(len(values), 1)
    if not values or missing > scale.max_missing:
        reason = (
            f"{missing} of {len(scale.items)} items missing; at most {scale.max_missing} allowed"
        )
        return ScaleScore(scale.id, raw, None, missing, False, None, reason)
    value = _prorated(scale, raw, len(values))
    band = scale.band_for(value)
    return ScaleScore(scale.id, raw, value, missing, True, band.id if band else None)


def _prorated(scale: Scale, raw: float, answered: int) -> float:
    if scale.method == "sum" and scale.prorate:
        return round(raw * len(scale.items) / answered, 2)
    return round(raw, 4)


def score_frame(instrument: Instrument, answers: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Score many administrations at once.

    answers has the `by` columns (one administration per combination), `item` and `value`.
    Returns one row per administration and scale: by..., scale, raw, value, items_missing,
    valid, band. Unknown items or values outside the options raise AnswerError.
    """
    _check_frame(instrument, answers)
    wide = answers.set_index([*by, "item"])["value"].unstack("item")
    wide = wide.reindex(columns=[item.number for item in instrument.items])
    parts = [_scale_frame(instrument, scale, wide) for scale in instrument.scales]
    result = pd.concat(parts, ignore_index=True)
    return result[[*by, "scale", "raw", "value", "items_missing", "valid", "band"]]


def _check_frame(instrument: Instrument, answers: pd.DataFrame) -> None:
    for item in instrument.items:
        values = answers.loc[answers["item"] == item.number, "value"]
        bad = values[~values.isin(list(item.values))]
        if len(bad):
            raise AnswerError(
                f"{instrument.id}: item {item.number}: {len(bad)} value(s) not one of "
                f"{sorted(item.values)}, e.g. {bad.iloc[0]!r}"
            )
    unknown = set(answers["item"].unique()) - {item.number for item in instrument.items}
    if unknown:
        raise AnswerError(f"{instrument.id}: items {sorted(unknown)} do not exist")


def _scale_frame(instrument: Instrument, scale: Scale, wide: pd.DataFrame) -> pd.DataFrame:
    block = wide[list(scale.items)].to_numpy(dtype=float)
    for column, number in enumerate(scale.items):
        if number in scale.reversed:
            item = instrument.item(number)
            block[:, column] = item.lowest + item.highest - block[:, column]
    answered = np.sum(~np.isnan(block), axis=1)
    missing = len(scale.items) - answered
    total = np.nansum(block, axis=1)
    valid = (missing <= scale.max_missing) & (answered > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if scale.method == "sum":
            raw = total
            value = np.round(total * len(scale.items) / answered, 2) if scale.prorate else total
        else:
            raw = total / answered
            value = np.round(raw, 4)
    value = np.where(valid, value, np.nan)
    frame = wide.index.to_frame(index=False)
    frame["scale"] = scale.id
    frame["raw"] = raw
    frame["value"] = value
    frame["items_missing"] = missing
    frame["valid"] = valid
    frame["band"] = _bands_of(scale, value)
    return frame


def _bands_of(scale: Scale, values: np.ndarray) -> pd.Series:
    if not scale.bands:
        return pd.Series([None] * len(values), dtype=object)
    lows = np.array([band.low for band in scale.bands])
    ids = np.array([band.id for band in scale.bands], dtype=object)
    positions = np.searchsorted(lows, np.nan_to_num(values, nan=-np.inf), side="right") - 1
    bands = np.where((positions >= 0) & ~np.isnan(values), ids[positions.clip(0)], None)
    return pd.Series(bands, dtype=object)


def critical_frame(instrument: Instrument, answers: pd.DataFrame) -> pd.DataFrame:
    """The rows of `answers` that are critical answers on this instrument."""
    hits = [
        answers[(answers["item"] == c.item) & answers["value"].isin(list(c.values))]
        for c in instrument.critical_items
    ]
    return pd.concat(hits) if hits else answers.iloc[0:0]

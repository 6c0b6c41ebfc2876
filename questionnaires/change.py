"""Jacobson-Truax reliable change and clinical significance, for numbers and pandas Series."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

from questionnaires.model import ChangeNorms, Scale

Values = TypeVar("Values", float, pd.Series)

RECOVERED = "recovered"
IMPROVED = "improved"
UNCHANGED = "unchanged"
DETERIORATED = "deteriorated"


def _norms(scale: Scale) -> ChangeNorms:
    if scale.norms is None:
        raise ValueError(f"scale '{scale.id}' has no norms for change")
    return scale.norms


def improvement(before: Values, after: Values, scale: Scale) -> Values:
    """Change in the good direction: positive means better, whatever the scale's direction."""
    return before - after if scale.direction == "higher_is_worse" else after - before


def reliable_change_index(before: Values, after: Values, scale: Scale) -> Values:
    """(after - before) / S_diff, with S_diff = sqrt(2) * SD * sqrt(1 - reliability)."""
    return (after - before) / _norms(scale).standard_error_of_difference


def is_reliable(before: Values, after: Values, scale: Scale) -> Values:
    """A change at least as large as the scale's reliable change threshold, either way."""
    return abs(after - before) >= _norms(scale).reliable_change


def in_clinical_range(value: Values, scale: Scale) -> Values:
    cutoff = _norms(scale).cutoff
    if cutoff is None:
        raise ValueError(f"scale '{scale.id}' has no clinical cut-off")
    return value >= cutoff if scale.direction == "higher_is_worse" else value < cutoff


def classify_change(before: Values, after: Values, scale: Scale) -> str | pd.Series:
    """recovered / improved / unchanged / deteriorated (Jacobson & Truax, 1991).

    Recovered: reliable improvement from the clinical into the non-clinical range. Missing
    scores on either side give None.
    """
    gain = improvement(before, after, scale)
    reliable = is_reliable(before, after, scale)
    crossed = in_clinical_range(before, scale) & ~in_clinical_range(after, scale)
    if isinstance(gain, pd.Series):
        return _classify_series(gain, reliable, crossed)
    if before is None or after is None or np.isnan(before) or np.isnan(after):
        return None  # type: ignore[return-value]
    if reliable and gain > 0:
        return RECOVERED if crossed else IMPROVED
    return DETERIORATED if reliable and gain < 0 else UNCHANGED


def _classify_series(gain: pd.Series, reliable: pd.Series, crossed: pd.Series) -> pd.Series:
    labels = np.select(
        [reliable & (gain > 0) & crossed, reliable & (gain > 0), reliable & (gain < 0)],
        [RECOVERED, IMPROVED, DETERIORATED],
        default=UNCHANGED,
    )
    result = pd.Series(labels, index=gain.index, dtype=object)
    result[gain.isna()] = None
    return result

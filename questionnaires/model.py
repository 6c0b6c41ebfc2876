"""The instrument definition as frozen dataclasses: what a YAML file says, checked and typed."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Text = Mapping[str, str]
Method = Literal["sum", "mean"]
Direction = Literal["higher_is_worse", "higher_is_better"]

JT_Z = 1.96  # Jacobson & Truax (1991): 95% two-sided criterion for the reliable change index


@dataclass(frozen=True)
class Option:
    value: int
    label: Text


@dataclass(frozen=True)
class Item:
    number: int
    text: Text
    options: tuple[Option, ...]

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.options)

    @property
    def lowest(self) -> int:
        return min(self.values)

    @property
    def highest(self) -> int:
        return max(self.values)


@dataclass(frozen=True)
class Band:
    id: str
    low: float
    high: float
    label: Text


@dataclass(frozen=True)
class ChangeNorms:
    """Norms for judging change on a scale, with where they come from."""

    reliable_change: float
    sd: float
    reliability: float
    source: str
    cutoff: float | None = None

    @property
    def standard_error_of_difference(self) -> float:
        return math.sqrt(2) * self.sd * math.sqrt(1 - self.reliability)


@dataclass(frozen=True)
class Scale:
    id: str
    title: Text
    items: tuple[int, ...]
    method: Method
    direction: Direction
    minimum: float
    maximum: float
    reversed: frozenset[int] = frozenset()
    max_missing: int = 0
    prorate: bool = True
    total: bool = False
    bands: tuple[Band, ...] = ()
    norms: ChangeNorms | None = None

    def band_for(self, value: float) -> Band | None:
        """The band holding value; a prorated value between two bands belongs to the lower one."""
        chosen = None
        for band in self.bands:
            if value >= band.low:
                chosen = band
        return chosen


@dataclass(frozen=True)
class CriticalItem:
    item: int
    values: frozenset[int]
    reason: Text


@dataclass(frozen=True)
class TestVector:
    answers: Mapping[int, int]
    expect: Mapping[str, Mapping[str, object]]


@dataclass(frozen=True)
class StandardCodes:
    """The instrument in a standard terminology (LOINC): the panel, each item, each option
    value (for every item, unless `item_options` codes an item's answers otherwise) and each
    scale, all in one code system; `source` says where they were checked."""

    system: str
    source: str
    instrument: str | None = None
    items: Mapping[int, str] = field(default_factory=dict)
    options: Mapping[int, str] = field(default_factory=dict)
    item_options: Mapping[int, Mapping[int, str]] = field(default_factory=dict)
    scales: Mapping[str, str] = field(default_factory=dict)

    def option(self, item: int, value: int) -> str:
        """The code of an answer to an item."""
        return self.item_options.get(item, {}).get(value) or self.options[value]


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    languages: tuple[str, ...]
    title: Text
    instructions: Text
    items: tuple[Item, ...]
    scales: tuple[Scale, ...]
    licence: str
    free_to_use: bool
    citation: str
    validated: bool = True
    intake_only: bool = False  # asked when a client is referred, never in a session's battery
    about_the_session: bool = False  # its time frame is the session just held: asked after it
    critical_items: tuple[CriticalItem, ...] = ()
    standard_codes: StandardCodes | None = None
    test_vectors: tuple[TestVector, ...] = field(default=(), compare=False)

    def item(self, number: int) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)

    def scale(self, scale_id: str) -> Scale:
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(scale_id)

    @property
    def primary_scale(self) -> Scale:
        """The scale that stands for the instrument in charts and change: the total if any."""
        return next((s for s in self.scales if s.total), self.scales[0])

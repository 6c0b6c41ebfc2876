"""Instruments as plain, cached page structures per language, so rendering stays cheap."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires import Instrument


@dataclass(frozen=True)
class PageItem:
    number: int
    text: str
    options: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Page:
    instrument_id: str
    title: str
    instructions: str
    items: tuple[PageItem, ...]


_CACHE: dict[tuple[str, str, str], Page] = {}


def page_of(instrument: Instrument, language: str) -> Page:
    key = (instrument.id, instrument.version, language)
    if key not in _CACHE:
        _CACHE[key] = _build(instrument, language)
    return _CACHE[key]


def _build(instrument: Instrument, language: str) -> Page:
    return Page(
        instrument_id=instrument.id,
        title=instrument.title[language],
        instructions=instrument.instructions[language],
        items=tuple(
            PageItem(
                item.number,
                item.text[language],
                tuple((option.value, option.label[language]) for option in item.options),
            )
            for item in instrument.items
        ),
    )

"""Instruments as plain, cached page structures per language, so rendering stays cheap: the
questions of a page are written from pieces escaped once per instrument and language."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup, escape

from questionnaires import Instrument


@dataclass(frozen=True)
class PageItem:
    number: int
    text: str
    options: tuple[tuple[int, str], ...]

    def fieldset(self, chosen: int | None, gap_label: str | None) -> str:
        """The question as a fieldset of radio buttons; `gap_label` marks it as unanswered."""
        n = self.number
        marked = f' <strong class="gap">({escape(gap_label)})</strong>' if gap_label else ""
        return (
            f'<fieldset id="item-{n}" class="item{" missing" if gap_label else ""}">'
            f'<legend><span class="number">{n}.</span> {self._text}{marked}</legend>'
            f'<div class="options">{self._options.get(chosen) or self._options[None]}</div>'
            "</fieldset>"
        )

    @cached_property
    def _text(self) -> str:
        return str(escape(self.text))

    @cached_property
    def _options(self) -> dict[int | None, str]:
        """The radio buttons with none checked (key None) and with each answer checked."""
        return {
            chosen: "".join(
                f'<label class="option"><input type="radio" name="item-{self.number}" '
                f'value="{value}"{" checked" if chosen == value else ""}>'
                f"<span>{escape(label)}</span></label>"
                for value, label in self.options
            )
            for chosen in (None, *(value for value, _ in self.options))
        }


@dataclass(frozen=True)
class Page:
    instrument_id: str
    title: str
    instructions: str
    items: tuple[PageItem, ...]

    def questions(self, given: Mapping[int, int], gaps: Collection[int], gap_label: str) -> Markup:
        """Every question of the page with the member's answers checked and gaps marked."""
        return Markup(
            "".join(
                item.fieldset(given.get(item.number), gap_label if item.number in gaps else None)
                for item in self.items
            )
        )


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

"""Definition files → Instrument objects, and folders → a Library."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from questionnaires.checks import problems_in
from questionnaires.model import (
    Band,
    ChangeNorms,
    CriticalItem,
    Instrument,
    Item,
    Option,
    Scale,
    StandardCodes,
    TestVector,
)
from questionnaires.schema import InstrumentSchema, ValidationError

SHIPPED = Path(__file__).parent / "instruments"


class InstrumentFileError(ValueError):
    """A definition file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[tuple[str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {field}: {reason}" for field, reason in problems]
        super().__init__("\n".join(lines))


def load_file(path: Path) -> Instrument:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InstrumentFileError(path.name, [("(file)", f"not valid YAML: {error}")]) from error
    return load_definition(raw, source=path.name)


def load_definition(raw: Any, *, source: str) -> Instrument:
    """Validate a parsed definition and build the instrument, or raise naming every problem."""
    if not isinstance(raw, dict):
        raise InstrumentFileError(source, [("(file)", "must be a mapping of fields")])
    try:
        data = InstrumentSchema().load(raw)
    except ValidationError as error:
        raise InstrumentFileError(source, list(_flatten(error.messages))) from error
    problems = problems_in(data)
    if problems:
        raise InstrumentFileError(source, problems)
    return _build(data)


def _flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield prefix or "(file)", message
    else:
        for message in messages:
            yield from _flatten(message, prefix)


def _build(data: dict[str, Any]) -> Instrument:
    default_options = data.get("options")
    items = tuple(_item(raw, default_options) for raw in data["items"])
    by_number = {item.number: item for item in items}
    return Instrument(
        id=data["id"],
        version=data["version"],
        languages=tuple(data["languages"]),
        title=data["title"],
        instructions=data["instructions"],
        items=items,
        scales=tuple(_scale(raw, by_number) for raw in data["scales"]),
        licence=data["licence"]["name"],
        free_to_use=data["licence"]["free_to_use"],
        citation=data["citation"],
        validated=data["validated"],
        intake_only=data["intake_only"],
        about_the_session=data["about_the_session"],
        critical_items=tuple(
            CriticalItem(c["item"], frozenset(c["values"]), c["reason"])
            for c in data["critical_items"]
        ),
        standard_codes=_standard_codes(data["standard_codes"]),
        test_vectors=tuple(TestVector(v["answers"], v["expect"]) for v in data["test_vectors"]),
    )


def _standard_codes(raw: dict[str, Any] | None) -> StandardCodes | None:
    if raw is None:
        return None
    return StandardCodes(
        system=raw["system"],
        source=raw["source"],
        instrument=raw["instrument"],
        items=dict(raw["items"]),
        options=dict(raw["options"]),
        item_options={item: dict(codes) for item, codes in raw["item_options"].items()},
        scales=dict(raw["scales"]),
    )


def _item(raw: dict[str, Any], default_options: list[dict[str, Any]] | None) -> Item:
    options = raw.get("options") or default_options or []
    return Item(
        number=raw["number"],
        text=raw["text"],
        options=tuple(Option(o["value"], o["label"]) for o in options),
    )


def _scale(raw: dict[str, Any], items: Mapping[int, Item]) -> Scale:
    members = [items[number] for number in raw["items"]]
    lowest = [item.lowest for item in members]
    highest = [item.highest for item in members]
    if raw["method"] == "sum":
        minimum, maximum = float(sum(lowest)), float(sum(highest))
    else:
        minimum, maximum = float(min(lowest)), float(max(highest))
    norms = raw["norms"]
    return Scale(
        id=raw["id"],
        title=raw["title"],
        items=tuple(raw["items"]),
        method=raw["method"],
        direction=raw["direction"],
        minimum=minimum,
        maximum=maximum,
        reversed=frozenset(raw["reversed"]),
        max_missing=raw["max_missing"],
        prorate=raw["prorate"],
        total=raw["total"],
        bands=tuple(Band(b["id"], b["low"], b["high"], b["label"]) for b in raw["bands"]),
        norms=ChangeNorms(**norms) if norms else None,
    )


@dataclass(frozen=True)
class Library:
    """The instruments available to an organisation, by id."""

    instruments: Mapping[str, Instrument]

    def __getitem__(self, instrument_id: str) -> Instrument:
        try:
            return self.instruments[instrument_id]
        except KeyError:
            raise KeyError(f"unknown instrument '{instrument_id}'") from None

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self.instruments

    def __iter__(self) -> Iterator[Instrument]:
        return iter(self.instruments.values())

    def __len__(self) -> int:
        return len(self.instruments)

    def for_sessions(self) -> list[str]:
        """Ids of the instruments a session's battery may ask (not the intake-only ones)."""
        return [i.id for i in self.instruments.values() if not i.intake_only]


def load_library(extra_dirs: Iterable[Path | str] = ()) -> Library:
    """The shipped instruments plus any organisation folders; shipped ones must be free to use."""
    instruments: dict[str, Instrument] = {}
    for path in sorted(SHIPPED.glob("*.yaml")):
        instrument = load_file(path)
        if not instrument.free_to_use:
            raise InstrumentFileError(path.name, [("licence", "shipped instruments must be free")])
        _add(instruments, instrument, path.name)
    for folder in extra_dirs:
        for path in sorted(Path(folder).glob("*.yaml")):
            _add(instruments, load_file(path), path.name)
    return Library(instruments)


def check_folder(folder: Path) -> list[InstrumentFileError]:
    """Every problem in an organisation's folder, without stopping at the first file."""
    errors = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            load_file(path)
        except InstrumentFileError as error:
            errors.append(error)
    return errors


def _add(instruments: dict[str, Instrument], instrument: Instrument, source: str) -> None:
    if instrument.id in instruments:
        raise InstrumentFileError(source, [("id", f"instrument '{instrument.id}' already loaded")])
    instruments[instrument.id] = instrument

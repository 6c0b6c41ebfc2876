"""Rules that span fields of a definition; each problem names the field it is about."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

Problem = tuple[str, str]


def problems_in(data: dict[str, Any]) -> list[Problem]:
    checks = (
        _missing_languages,
        _item_numbering,
        _item_options,
        _scale_items,
        _subscales_disjoint,
        _reversed_in_scale,
        _band_coverage,
        _critical_items,
        _time_frame,
        _standard_codes,
    )
    return [problem for check in checks for problem in check(data)]


def _texts(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, str]]]:
    yield "title", data["title"]
    yield "instructions", data["instructions"]
    for i, option in enumerate(data.get("options") or []):
        yield f"options.{i}.label", option["label"]
    for i, item in enumerate(data["items"]):
        yield f"items.{i}.text", item["text"]
        for j, option in enumerate(item.get("options") or []):
            yield f"items.{i}.options.{j}.label", option["label"]
    for i, scale in enumerate(data["scales"]):
        yield f"scales.{i}.title", scale["title"]
        for j, band in enumerate(scale["bands"]):
            yield f"scales.{i}.bands.{j}.label", band["label"]
    for i, critical in enumerate(data["critical_items"]):
        yield f"critical_items.{i}.reason", critical["reason"]


def _missing_languages(data: dict[str, Any]) -> Iterator[Problem]:
    for path, text in _texts(data):
        for language in data["languages"]:
            if not (text.get(language) or "").strip():
                yield path, f"missing the '{language}' text"


def _item_numbering(data: dict[str, Any]) -> Iterator[Problem]:
    numbers = [item["number"] for item in data["items"]]
    if numbers != list(range(1, len(numbers) + 1)):
        yield "items", f"items must be numbered 1..{len(numbers)} in order, found {numbers}"


def _item_options(data: dict[str, Any]) -> Iterator[Problem]:
    for i, item in enumerate(data["items"]):
        options = item.get("options") or data.get("options")
        if not options:
            yield f"items.{i}.options", "no response options (none here and no default options)"
            continue
        values = [option["value"] for option in options]
        if len(set(values)) != len(values):
            yield f"items.{i}.options", f"option values repeat: {values}"


def _item_numbers(data: dict[str, Any]) -> set[int]:
    return {item["number"] for item in data["items"]}


def _scale_items(data: dict[str, Any]) -> Iterator[Problem]:
    known = _item_numbers(data)
    ids = [scale["id"] for scale in data["scales"]]
    if len(set(ids)) != len(ids):
        yield "scales", f"scale ids repeat: {ids}"
    for i, scale in enumerate(data["scales"]):
        unknown = sorted(set(scale["items"]) - known)
        if unknown:
            yield f"scales.{i}.items", f"items {unknown} do not exist"
        if len(set(scale["items"])) != len(scale["items"]):
            yield f"scales.{i}.items", "an item is listed twice"
        if scale["max_missing"] >= len(scale["items"]):
            yield f"scales.{i}.max_missing", "must be smaller than the number of items"


def _subscales_disjoint(data: dict[str, Any]) -> Iterator[Problem]:
    owner: dict[int, str] = {}
    for i, scale in enumerate(data["scales"]):
        if scale["total"]:
            continue
        for item in scale["items"]:
            if item in owner:
                yield (
                    f"scales.{i}.items",
                    (
                        f"item {item} is in scale '{owner[item]}' and in scale '{scale['id']}'; "
                        "only a scale marked total may share items"
                    ),
                )
            owner[item] = scale["id"]


def _reversed_in_scale(data: dict[str, Any]) -> Iterator[Problem]:
    for i, scale in enumerate(data["scales"]):
        stray = sorted(set(scale["reversed"]) - set(scale["items"]))
        if stray:
            yield f"scales.{i}.reversed", f"reversed items {stray} are not in the scale"


def _band_coverage(data: dict[str, Any]) -> Iterator[Problem]:
    for i, scale in enumerate(data["scales"]):
        bands = scale["bands"]
        if not bands:
            continue
        path = f"scales.{i}.bands"
        if scale["method"] != "sum":
            yield path, "bands are only defined for sum scales"
            continue
        for j, band in enumerate(bands):
            if band["high"] < band["low"]:
                yield f"{path}.{j}", f"band '{band['id']}' ends before it starts"
        for before, after in itertools.pairwise(bands):
            if after["low"] <= before["high"]:
                yield path, f"bands '{before['id']}' and '{after['id']}' overlap"
            elif after["low"] > before["high"] + 1:
                yield path, f"gap between bands '{before['id']}' and '{after['id']}'"


def _critical_items(data: dict[str, Any]) -> Iterator[Problem]:
    known = _item_numbers(data)
    for i, critical in enumerate(data["critical_items"]):
        if critical["item"] not in known:
            yield f"critical_items.{i}.item", f"item {critical['item']} does not exist"


def _time_frame(data: dict[str, Any]) -> Iterator[Problem]:
    if data["intake_only"] and data["about_the_session"]:
        yield "about_the_session", "an intake-only instrument has no session to be about"


def _standard_codes(data: dict[str, Any]) -> Iterator[Problem]:
    codes = data.get("standard_codes")
    if not codes:
        return
    for part in ("items", "item_options"):
        stray_items = sorted(set(codes[part]) - _item_numbers(data))
        if stray_items:
            yield f"standard_codes.{part}", f"items {stray_items} do not exist"
    stray_scales = sorted(set(codes["scales"]) - {scale["id"] for scale in data["scales"]})
    if stray_scales:
        yield "standard_codes.scales", f"scales {stray_scales} do not exist"
    if codes["options"]:
        for i, item in enumerate(data["items"]):
            values = {option["value"] for option in item.get("options") or data.get("options")}
            if values != set(codes["options"]):
                yield "standard_codes.options", f"item {i + 1}'s options are not the ones coded"

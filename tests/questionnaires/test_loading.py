"""Definitions load and validate; each kind of broken file is refused with a message naming it."""

import copy
from pathlib import Path

import pytest
import yaml

from questionnaires import InstrumentFileError, check_folder, load_definition, load_library
from questionnaires.loading import SHIPPED


def shipped(name: str) -> dict:
    return yaml.safe_load((SHIPPED / f"{name}.yaml").read_text(encoding="utf-8"))


def test_library_holds_the_five_shipped_instruments() -> None:
    library = load_library()
    assert sorted(i.id for i in library) == ["gad7", "gcq_s", "gcs", "phq9", "readiness"]
    lengths = [len(library[i].items) for i in ("phq9", "gad7", "gcq_s", "gcs", "readiness")]
    assert lengths == [9, 7, 12, 7, 9]
    assert library["readiness"].validated is False


def test_shipped_scales_have_the_published_ranges_and_structure() -> None:
    library = load_library()
    assert (library["phq9"].scale("total").minimum, library["phq9"].scale("total").maximum) == (
        0,
        27,
    )
    assert library["gad7"].scale("total").maximum == 21
    gcq = library["gcq_s"]
    assert gcq.scale("engagement").items == (1, 2, 4, 8, 11)
    assert gcq.scale("avoidance").items == (3, 5, 9)
    assert gcq.scale("conflict").items == (6, 7, 10, 12)
    assert library["gcs"].validated is False
    assert library["phq9"].scale("total").norms.cutoff == 10
    assert library["gad7"].scale("total").norms.reliable_change == 4


def refused(data: dict) -> str:
    with pytest.raises(InstrumentFileError) as caught:
        load_definition(data, source="broken.yaml")
    return str(caught.value)


def test_missing_language_is_named() -> None:
    data = shipped("gad7")
    del data["items"][2]["text"]["en"]
    assert "broken.yaml: items.2.text: missing the 'en' text" in refused(data)


def test_item_in_two_subscales_is_refused() -> None:
    data = shipped("gcq_s")
    data["scales"][1]["items"].append(1)
    message = refused(data)
    assert "scales.1.items" in message
    assert "item 1 is in scale 'engagement' and in scale 'avoidance'" in message


def test_reversed_item_outside_its_scale_is_refused() -> None:
    data = shipped("gcq_s")
    data["scales"][2]["reversed"] = [3]
    assert "scales.2.reversed: reversed items [3] are not in the scale" in refused(data)


@pytest.mark.parametrize(
    ("low", "expected"),
    [(11, "gap between bands 'mild' and 'moderate'"), (9, "bands 'mild' and 'moderate' overlap")],
)
def test_band_gaps_and_overlaps_are_refused(low: int, expected: str) -> None:
    data = shipped("phq9")
    data["scales"][0]["bands"][2]["low"] = low
    assert expected in refused(data)


def test_unknown_field_and_wrong_type_are_named() -> None:
    data = shipped("phq9")
    data["colour"] = "blue"
    data["items"][0]["number"] = "one"
    message = refused(data)
    assert "colour: Unknown field." in message
    assert "items.0.number: Not a valid integer." in message


def test_threshold_that_does_not_follow_from_its_norms_is_refused() -> None:
    data = shipped("phq9")
    data["scales"][0]["norms"]["reliable_change"] = 3
    assert "reliable_change 3.0 does not follow from sd 5.4" in refused(data)


def test_critical_item_must_exist() -> None:
    data = shipped("phq9")
    data["critical_items"][0]["item"] = 12
    assert "critical_items.0.item: item 12 does not exist" in refused(data)


def test_organisation_folder_adds_an_instrument(tmp_path: Path) -> None:
    own = copy.deepcopy(shipped("gad7"))
    own.update(id="gad7_local", licence={"name": "licensed to us", "free_to_use": False})
    (tmp_path / "gad7_local.yaml").write_text(yaml.safe_dump(own, allow_unicode=True))
    library = load_library([tmp_path])
    assert "gad7_local" in library
    assert len(library) == len(load_library()) + 1


def test_organisation_file_reusing_a_shipped_id_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(yaml.safe_dump(shipped("gad7"), allow_unicode=True))
    with pytest.raises(InstrumentFileError, match="instrument 'gad7' already loaded"):
        load_library([tmp_path])


def test_check_folder_reports_every_broken_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: [unclosed")
    broken = shipped("gcs")
    broken["scales"][0]["items"].append(9)
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True))
    errors = check_folder(tmp_path)
    assert [e.source for e in errors] == ["a.yaml", "b.yaml"]
    assert "not valid YAML" in str(errors[0])
    assert "items [9] do not exist" in str(errors[1])


def test_standard_codes_must_name_items_options_and_scales_that_exist() -> None:
    data = shipped("gad7")
    data["standard_codes"]["items"][8] = "12345-6"
    data["standard_codes"]["item_options"][9] = {2: "LA0000-0"}
    data["standard_codes"]["scales"]["worry"] = "12345-6"
    message = refused(data)
    assert "standard_codes.items: items [8] do not exist" in message
    assert "standard_codes.item_options: items [9] do not exist" in message
    assert "standard_codes.scales: scales ['worry'] do not exist" in message
    partial = shipped("phq9")
    del partial["standard_codes"]["options"][3]
    assert "standard_codes.options: item 1's options are not the ones coded" in refused(partial)

"""`flask rom instruments` lists what is loaded; `check DIR` validates an organisation's files."""

from pathlib import Path

import yaml
from flask.testing import FlaskCliRunner

from questionnaires.loading import SHIPPED


def test_lists_the_four_instruments(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["rom", "instruments"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split()[0] for line in lines] == ["gad7", "gcq_s", "gcs", "phq9", "readiness"]
    assert "9 items" in lines[3]
    assert "(not validated)" in lines[2]


def test_check_reports_a_broken_file_and_fails(runner: FlaskCliRunner, tmp_path: Path) -> None:
    definition = yaml.safe_load((SHIPPED / "gad7.yaml").read_text(encoding="utf-8"))
    definition["id"] = "own_scale"
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    del definition["items"][0]["text"]["nl"]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    result = runner.invoke(args=["rom", "instruments", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.yaml: items.0.text: missing the 'nl' text" in result.output
    assert "2 file(s) checked, 1 with problems" in result.output


def test_an_organisation_folder_from_the_settings_adds_its_instruments(
    sqlite_only, tmp_path: Path
) -> None:
    definition = yaml.safe_load((SHIPPED / "gad7.yaml").read_text(encoding="utf-8"))
    definition.update(id="own_anxiety", licence={"name": "licensed to us", "free_to_use": False})
    (tmp_path / "own.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    sqlite_only.config["INSTRUMENTS_DIR"] = str(tmp_path)
    sqlite_only.extensions.pop("kring.library", None)
    try:
        result = sqlite_only.test_cli_runner().invoke(args=["rom", "instruments"])
    finally:
        sqlite_only.config["INSTRUMENTS_DIR"] = ""
        sqlite_only.extensions.pop("kring.library", None)
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["gad7", "gcq_s", "gcs", "phq9", "readiness", "own_anxiety"]  # shipped first

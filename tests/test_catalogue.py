"""The English catalogue matches the code: every Dutch text the code shows has its English, and
no English is kept for a text nothing shows any more."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "rom" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def _ids(path: Path) -> dict[str, str]:
    with path.open("rb") as file:
        catalog = read_po(file, locale="en")
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_text_shown_has_english_and_none_is_left_over(tmp_path: Path) -> None:
    template = tmp_path / "messages.pot"
    extract = ["-m", "babel.messages.frontend", "--quiet", "extract", "-k", "_l", "-F", "babel.cfg"]
    subprocess.run(
        [sys.executable, *extract, "-o", str(template), "."],
        cwd=ROOT,
        check=True,
    )
    shown, english = set(_ids(template)), _ids(CATALOGUE)
    assert sorted(shown - english.keys()) == []
    assert sorted(t for t in shown if not english[t]) == []
    assert sorted(english.keys() - shown) == []

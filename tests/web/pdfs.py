"""What a PDF the application served says, and how many of its pages render (poppler-utils)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tests.conftest import require


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(
            ["pdftotext", file.name, "-"], capture_output=True, text=True, check=True
        ).stdout


def text_of(pdf: bytes, tmp_path: Path) -> str:
    require(Path("/usr/bin/pdftotext").exists(), "poppler-utils (pdftotext) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pages_rendered(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    return len(list(tmp_path.glob("page-*.png")))

"""PDFs as the tests look at them: the first page rendered to PNG (poppler's
pdftoppm), and the text (pdftotext)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def first_page_png(pdf: Path, dpi: int = 80) -> Path:
    """Render `pdf`'s first page beside it as `<stem>-1.png`; returns that path."""
    stem = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_name(f"{stem.name}-1.png")


def text_of(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

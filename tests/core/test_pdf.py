"""core.pdf: typst templates fed JSON, Noto CJK embedded, failures said clearly.

The PDFs are read back with poppler (`pdffonts`, `pdftotext`): a CJK PDF
without an embedded font prints empty boxes and raises nothing (ECOSYSTEM.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkao.core import pdf as core_pdf
from gongkao.core.pdf import PdfError, render_pdf

# What typst would read as markup, code, math, a label or an escape.
MARKUP = r"王#[*$\<b>_`x`@ref//强 #set page(width: 1cm) #read(" + '"/etc/passwd")'

TEXT_TEMPLATE = """\
#let data = json(bytes(sys.inputs.data))
#set text(font: "Noto Sans CJK SC", lang: "zh", cjk-latin-spacing: none)
#for line in data.lines [#line \\ ]
"""


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(
            f"{tool} is missing: install poppler-utils (`make system-deps`).",
            pytrace=False,
        )
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def template(tmp_path: Path):
    """Write a template into tmp_path and return its path."""

    def write(source: str, name: str = "doc.typ") -> Path:
        path = tmp_path / name
        path.write_text(source, encoding="utf-8")
        return path

    return write


def render_lines(template, tmp_path: Path, *lines: str) -> Path:
    pdf = render_pdf(template(TEXT_TEMPLATE), {"lines": list(lines)})
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return path


def test_render_pdf_returns_pdf_bytes(template, tmp_path):
    pdf = render_pdf(template(TEXT_TEMPLATE), {"lines": ["焦作市"]})

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_render_pdf_accepts_str_path(template, tmp_path):
    pdf = render_pdf(str(template(TEXT_TEMPLATE)), {"lines": ["焦作市"]})

    assert pdf.startswith(b"%PDF-")


def test_render_pdf_embeds_noto_cjk(template, tmp_path):
    path = render_lines(template, tmp_path, "焦作市工勤技能岗位等级考核办公室")

    # name, type (with spaces), encoding, emb, sub, uni, object ID: a long
    # name pushes the columns right, so the flags are counted from the end.
    lines = poppler("pdffonts", str(path)).splitlines()[2:]
    fonts = {line.split()[0].split("+")[-1]: line.split()[-5] for line in lines}
    assert fonts == {"NotoSansCJKsc-Regular-Identity-H": "yes"}


def test_render_pdf_shows_markup_characters_literally(template, tmp_path):
    path = render_lines(template, tmp_path, MARKUP, "a\\b", "]#}")

    text = poppler("pdftotext", str(path), "-").splitlines()
    assert text[:3] == [MARKUP, "a\\b", "]#}"]


def test_render_pdf_keeps_rare_characters(template, tmp_path):
    path = render_lines(template, tmp_path, "𠮷祥", "䶮")

    assert poppler("pdftotext", str(path), "-").splitlines()[:2] == ["𠮷祥", "䶮"]


def test_render_pdf_without_tags_stays_small(template, tmp_path):
    pdf = render_pdf(template(TEXT_TEMPLATE), {"lines": ["焦作市"] * 200})

    assert b"/StructTreeRoot" not in pdf
    assert len(pdf) < 100_000


def test_render_pdf_template_error_raises_pdf_error(template):
    broken = template("#let data = json(bytes(sys.inputs.data))\n#data.missing\n")

    with pytest.raises(PdfError, match=r"doc\.typ.*missing") as excinfo:
        render_pdf(broken, {"present": 1})

    assert "2 │ #data.missing" in str(excinfo.value)


def test_render_pdf_syntax_error_raises_pdf_error(template):
    with pytest.raises(PdfError, match="typst could not compile bad.typ"):
        render_pdf(template("#let x = (\n", name="bad.typ"), {})


def test_render_pdf_unknown_font_raises_pdf_error(template):
    source = '#set text(font: "SimSun")\n焦作\n'

    with pytest.raises(PdfError, match="unknown font family: simsun"):
        render_pdf(template(source), {})


def test_render_pdf_missing_template_raises_pdf_error(tmp_path):
    with pytest.raises(PdfError, match="Template not found"):
        render_pdf(tmp_path / "nowhere.typ", {})


def test_render_pdf_reads_no_file_outside_template_folder(template, tmp_path):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()

    with pytest.raises(PdfError, match="outside"):
        render_pdf(template('#read("../secret.txt")', name="inner/doc.typ"), {})


def test_render_pdf_without_fonts_says_what_to_install(template, tmp_path, monkeypatch):
    monkeypatch.setattr(core_pdf, "FONT_DIRS", (tmp_path / "no-fonts",))
    core_pdf._fonts.cache_clear()
    try:
        with pytest.raises(PdfError, match="fonts-noto-cjk"):
            render_pdf(template(TEXT_TEMPLATE), {"lines": ["焦作"]})
    finally:
        core_pdf._fonts.cache_clear()


def test_render_pdf_rejects_data_that_is_not_json(template):
    with pytest.raises(TypeError):
        render_pdf(template(TEXT_TEMPLATE), {"lines": [object()]})


def test_render_pdf_releases_typst_cache_between_documents(template):
    # Without the release, each of these documents keeps about 35 MB of
    # memoised layout for the next 10 compilations (188 MB over the loop).
    table = template(
        "#let data = json(bytes(sys.inputs.data))\n"
        '#set text(font: "Noto Sans CJK SC")\n'
        "#table(columns: 4, ..data.cells)\n"
    )
    render_pdf(table, {"cells": ["焦作"]})
    before = resident_mb()

    for round_ in range(5):
        render_pdf(table, {"cells": [f"王{round_}-{i}" for i in range(2000)]})

    assert resident_mb() - before < 100


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_pdf_module_imports_typst_lazily():
    source = Path(core_pdf.__file__).read_text("utf-8")

    top_level = re.findall(r"^(?:import|from) (\S+)", source, re.M)
    assert "typst" not in top_level

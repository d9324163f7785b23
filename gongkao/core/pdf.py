"""PDF documents from typst templates: `render_pdf(template, data) -> bytes`.

The one PDF engine of the project (STYLE.md §2.10, ECOSYSTEM.md "Chinese
PDFs"). A document is a `.typ` template beside the module that renders it;
the data goes in as one JSON string, `sys.inputs.data`, which the template
reads with `json(bytes(sys.inputs.data))`. Data is never spliced into markup:
names can hold `#`, `[`, `$`, `*`, `\\` or `<`, and a string read from JSON is
always text to typst, never code.

Fonts are Debian's Noto CJK (package fonts-noto-cjk), passed explicitly and
nothing else: system fonts are ignored, so a PDF looks the same on every
machine, and the fonts are embedded (rare characters such as 𠮷 print). A
template naming a font that is not there fails loudly instead of printing
empty boxes. PDF tags are off: with them a roster is about ten times larger.

A template places an uploaded PDF's pages with `image(name, page: n)`;
`image_pages` says how many there are, or that typst cannot read the file.

Memory: typst memoises layout work and the binding evicts only what the last
10 compilations did not use, so a process that rendered a 1,000-row roster
would keep about 100 MB a render, up to 1 GB. After each render we run 10
empty compilations (about 1 ms each), which ages the document's entries out.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.http import HttpResponse

if TYPE_CHECKING:
    import typst

logger = logging.getLogger(__name__)

FONT_DIRS: tuple[Path, ...] = (Path("/usr/share/fonts/opentype/noto"),)
FONT_PACKAGE = "fonts-noto-cjk"
# typst-py calls comemo::evict(10) after every compilation: entries unused for
# 10 compilations go.
CACHE_MAX_AGE = 10


class PdfError(RuntimeError):
    """A PDF could not be produced: typst failed, or the fonts are missing."""


class UnreadableImage(PdfError):
    """typst cannot read a file a template would place as an image: a corrupt
    or encrypted PDF, a broken picture. The file is at fault, not the server."""


@lru_cache(maxsize=1)
def _fonts() -> typst.Fonts:
    """The font book, built once a process (about 0.07 s for the four files)."""
    import typst

    dirs = [str(path) for path in FONT_DIRS if path.is_dir()]
    if not dirs:
        raise PdfError(
            f"No CJK font: {', '.join(map(str, FONT_DIRS))} is missing. "
            f"Install Debian's {FONT_PACKAGE} (`make runtime-deps`)."
        )
    return typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=dirs
    )


def _release_cache(fonts: typst.Fonts) -> None:
    """Age typst's memoised layout of the last document out of the cache."""
    import typst

    for _ in range(CACHE_MAX_AGE):
        typst.compile(b"", font_paths=fonts, ignore_system_fonts=True, format="svg")


def render_pdf(
    template: str | Path,
    data: Mapping[str, Any],
    files: Mapping[str, bytes] | None = None,
) -> bytes:
    """Compile `template` with `data` (JSON-serialisable) into PDF bytes.

    `files` are images the template reads by name (a candidate's photo, a QR
    code as SVG): they are written with a copy of the template into a scratch
    folder, the only folder typst may read. Raises PdfError with typst's
    diagnostic if the template fails, and if it asks for a font that is not
    installed.
    """
    path = Path(template).resolve()
    if not path.is_file():
        raise PdfError(f"Template not found: {path}")
    if not files:
        return _compile(path, data)
    with _scratch(files) as folder:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        return _compile(copy, data)


@contextmanager
def _scratch(files: Mapping[str, bytes]) -> Iterator[Path]:
    """A temporary folder holding `files`, the only folder typst may read."""
    with tempfile.TemporaryDirectory(prefix="gongkao-pdf-") as scratch:
        folder = Path(scratch)
        for name, content in files.items():
            if Path(name).name != name:
                raise PdfError(f"Not a plain file name: {name!r}")
            (folder / name).write_bytes(content)
        yield folder


# typst has no function that tells a PDF's page count, but asking
# `image(…, page: n)` for a page past the end fails with the count in its
# hint. A test (tests/panels/test_watermark.py) pins the wording of the
# typst version locked.
_PAST_THE_END = 2**31 - 1
_PAGE_COUNT_HINT = re.compile(r"only has (\d+) pages?\b")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]+\.(pdf|jpg|jpeg|png)")


def image_pages(name: str, content: bytes) -> int:
    """How many pages a template can place from `content` with typst's
    `image(name, page: n)`: a PDF's page count, 1 for a JPEG or PNG.

    `name` is a plain file name whose extension says the type
    (`material.pdf`). Raises UnreadableImage if typst cannot read the file
    (a corrupt or encrypted PDF, a broken picture), so a caller can tell the
    user without a 500; PdfError for anything else.
    """
    import typst  # lazily, as in _compile

    if not _PLAIN_NAME.fullmatch(name):
        raise PdfError(f"Not a plain image file name: {name!r}")
    is_pdf = name.endswith(".pdf")
    probe = f'#image("{name}"{f", page: {_PAST_THE_END}" if is_pdf else ""})'
    fonts = _fonts()
    with _scratch({name: content, "probe.typ": probe.encode()}) as folder:
        try:
            typst.compile(
                folder / "probe.typ",
                root=folder,
                font_paths=fonts,
                ignore_system_fonts=True,
                format="pdf",
                pdf_tags=False,
            )
        except typst.TypstError as error:
            counted = [m for h in error.hints if (m := _PAGE_COUNT_HINT.search(h))]
            if is_pdf and counted:
                return int(counted[0][1])
            raise UnreadableImage(
                f"typst cannot read {name}: {error.message}"
            ) from error
        finally:
            _release_cache(fonts)
    if is_pdf:
        raise PdfError(f"typst placed page {_PAST_THE_END} of {name}")
    return 1


def _compile(path: Path, data: Mapping[str, Any]) -> bytes:
    import typst  # lazily: the compiler is a 30 MB extension (§2.10)

    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    fonts = _fonts()
    try:
        pdf, warnings = typst.compile_with_warnings(
            path,
            root=path.parent,  # the template reads no file outside its folder
            font_paths=fonts,
            ignore_system_fonts=True,
            sys_inputs=inputs,
            format="pdf",
            pdf_tags=False,
        )
    except typst.TypstError as error:
        raise PdfError(
            f"typst could not compile {path.name}: {error.message}\n"
            f"{error.diagnostic}".rstrip()
        ) from error
    finally:
        _release_cache(fonts)
    for warning in warnings:
        if "unknown font family" in warning.message:
            raise PdfError(
                f"{path.name}: {warning.message}. Install Debian's {FONT_PACKAGE}."
            )
        logger.warning("typst: %s: %s", path.name, warning.message)
    if not isinstance(pdf, bytes):  # typst returns a list only for PNG/SVG pages
        raise PdfError(f"typst returned no PDF for {path.name}")
    return pdf


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """Serve PDF bytes shown in the browser (or, `inline=False`, downloaded)
    under `filename`: Chinese is fine, the header carries an ASCII fallback
    and the exact name as RFC 5987 ``filename*=UTF-8''…``. PDFs hold personal data: never cached."""
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    filename = filename.replace("\r", "").replace("\n", "").replace("/", "_")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"{'inline' if inline else 'attachment'}; "
        f'filename="{_ascii_fallback(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    return response


def _ascii_fallback(filename: str) -> str:
    """The name for clients without RFC 5987: ASCII letters, digits, dashes."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", filename[: -len(".pdf")]).strip("._-")
    return f"{stem or 'document'}.pdf"

"""The expert's copy of a material (issue #17, the dossier "read on screen
by the panel, watermarked with the expert's name"): every page of the stored
file, as it is, under a light diagonal mark "<expert> 仅供评审 <panel>" with
the read time, rendered by typst (core.pdf, watermark.typ) at each read.

PDFs and pictures go the same way. A mark drawn by the page's CSS over an
`<img>` is not on the file: the picture's own address, a screenshot tool or
"save image as" gives it without a name. Here the name is in every copy the
server hands out, so a leaked page says who read it and when.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from gongkao.applications.models import MaterialFile
from gongkao.core.dates import chinese_date
from gongkao.core.pdf import UnreadableImage, image_pages, render_pdf
from gongkao.panels.models import PanelMember

TEMPLATE = Path(__file__).with_name("watermark.typ")

# The name the template reads the material under: its extension tells typst
# the type (the stored file's own name is never used).
_FILE_NAMES = {
    "application/pdf": "material.pdf",
    "image/jpeg": "material.jpg",
    "image/png": "material.png",
}


def mark_of(member: PanelMember) -> str:
    """The words repeated over every page, and shown on the material's page."""
    return f"{member.expert.name} 仅供评审 {member.panel.name}"


def render(stored: MaterialFile, member: PanelMember, *, at: datetime) -> bytes:
    """The material `stored` as a PDF marked for `member`, read at `at`.

    One page per page of a PDF (each at its own size), one page for a
    picture. Raises UnreadableImage if the file cannot be read (a corrupt or
    encrypted PDF, a broken picture, a type no upload gives).
    """
    name = _FILE_NAMES.get(stored.content_type)
    if name is None:
        raise UnreadableImage(f"no watermark for {stored.content_type}")
    with stored.file.open("rb") as handle:
        content = handle.read()
    pages = image_pages(name, content)
    if pages < 1:
        raise UnreadableImage(f"{stored} has no page")
    return render_pdf(
        TEMPLATE, document(member, at=at, file=name, pages=pages), {name: content}
    )


def document(
    member: PanelMember, *, at: datetime, file: str, pages: int
) -> dict[str, Any]:
    local = timezone.localtime(at)
    return {
        "title": "评审材料",
        "mark": mark_of(member),
        "time": f"{chinese_date(local.date())} {local:%H:%M} 查阅",
        "file": file,
        "pdf": file.endswith(".pdf"),
        "pages": pages,
    }

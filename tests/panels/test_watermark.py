"""A material read by an expert: every page of the stored file, as it is,
under the expert's name, the panel and the read time (panels/watermark.py),
served inline and never cached; an unreadable PDF gives a message; the
scope is the panel's (a conflicted expert or another candidate's address is
a 404). The PDFs are read back with poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine

from gongkao.core.models import AuditEvent
from gongkao.core.pdf import UnreadableImage, image_pages, render_pdf
from gongkao.panels import services
from tests import factories
from tests.panels.test_pages import expert_url, login, user_of

pytestmark = pytest.mark.django_db

# Three pages of three sizes, each with words to find again.
ORIGINAL = """
#set text(font: "Noto Sans CJK SC", lang: "zh")
#set page(paper: "a4")
= 工作业绩证明
原件第一页：申报人在本单位从事电工工作十年。
#for year in range(2015, 2026) [
  + #(year)年：在焦作市某供电公司从事高压电工作业，完成变电站设备检修、线路巡视和故障抢修任务，无安全责任事故。
]
#set page(paper: "a5", flipped: true)
原件第二页
#set page(paper: "a4", flipped: false)
原件第三页
"""


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: install poppler-utils.", pytrace=False)
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True
    ).stdout


def sizes(path: Path) -> list[str]:
    info = poppler("pdfinfo", "-f", "1", "-l", "999", str(path))
    return re.findall(r"^Page\s+\d+ size:\s+([\d.]+ x [\d.]+)", info, re.M)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> bytes:
    template = tmp_path_factory.mktemp("original") / "original.typ"
    template.write_text(ORIGINAL, encoding="utf-8")
    return render_pdf(template, {})


def reads(application) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.MATERIAL_READ, target_id=str(application.pk)
        )
    )


@pytest.fixture
def seat(world, panel):
    candidate = panel.candidates.get(application=world.examined)
    return candidate, panel.members.get(chair=True)


def _material(
    world, data: bytes, content_type: str = "application/pdf", slot: str = "work"
):
    extension = {"application/pdf": ".pdf", "image/jpeg": ".jpg"}[content_type]
    return factories.MaterialFileFactory.create(
        material__application=world.examined,
        material__slot=slot,
        data=data,
        content_type=content_type,
        extension=extension,
    )


def _raw(client, member, panel, candidate, stored):
    url = expert_url(user_of(member), "file_raw", panel.pk, candidate.pk, stored.pk)
    return client.get(url)


def test_image_pages_counts_a_pdfs_pages_and_refuses_a_broken_one(original):
    assert image_pages("material.pdf", original) == 3
    assert image_pages("material.jpg", factories.jpeg()) == 1
    for broken in (original[: len(original) // 2], b"%PDF-1.4\ngarbage\n%%EOF\n"):
        with pytest.raises(UnreadableImage):
            image_pages("material.pdf", broken)
    with pytest.raises(UnreadableImage):
        image_pages("material.png", b"\x89PNG\r\n\x1a\nnot a picture")


@time_machine.travel("2025-11-06 09:30 +0800", tick=False)
def test_a_pdf_is_read_page_for_page_under_the_experts_name(
    client, world, panel, seat, original, tmp_path, screenshot_dir
):
    candidate, member = seat
    stored = _material(world, original)
    login(client, user_of(member))
    response = _raw(client, member, panel, candidate, stored)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    source, marked = tmp_path / "original.pdf", tmp_path / "marked.pdf"
    source.write_bytes(original)
    marked.write_bytes(response.content)
    # Page for page, each at the size of the original's.
    assert sizes(marked) == sizes(source) and len(sizes(source)) == 3
    text = poppler("pdftotext", str(marked), "-")
    for words in ("原件第一页", "原件第二页", "原件第三页"):
        assert words in text
    mark = f"{member.expert.name} 仅供评审 电工评审组"
    for page in (1, 2, 3):
        on_page = poppler(
            "pdftotext", "-raw", "-f", str(page), "-l", str(page), str(marked), "-"
        )
        assert mark in on_page and "2025年11月6日 09:30 查阅" in on_page
        assert f"第 {page}/3 页" in on_page
    # Looked at: the mark is light and the page still reads.
    poppler(
        "pdftoppm", "-r", "80", "-png", "-singlefile", "-f", "1", "-l", "1",
        str(marked), str(screenshot_dir / "panel-material-watermark"),
    )  # fmt: skip
    # The read is audited, as every read of a material.
    assert [
        (r.actor_id, r.after["file"], r.after["download"])
        for r in reads(world.examined)
    ] == [(user_of(member).pk, stored.pk, False)]


def test_a_picture_is_read_as_one_marked_page(client, world, panel, seat, tmp_path):
    candidate, member = seat
    stored = _material(world, factories.jpeg(), "image/jpeg")
    login(client, user_of(member))
    response = _raw(client, member, panel, candidate, stored)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    marked = tmp_path / "marked.pdf"
    marked.write_bytes(response.content)
    assert len(sizes(marked)) == 1
    page = poppler("pdftotext", "-raw", str(marked), "-")
    assert f"{member.expert.name} 仅供评审" in page and "第 1/1 页" in page


def test_a_corrupt_pdf_gives_a_message_and_no_read(
    client, world, panel, seat, original
):
    candidate, member = seat
    login(client, user_of(member))
    for slot, broken in (
        ("cut", original[: len(original) // 2] + b"\n%%EOF\n"),
        ("empty", factories.PDF),
    ):
        stored = _material(world, broken, slot=slot)
        response = _raw(client, member, panel, candidate, stored)
        assert response.status_code == 422
        assert response["Content-Type"].startswith("text/html")
        assert (
            "材料无法显示" in response.text
            and "已损坏或设置了密码保护" in response.text
        )
    assert reads(world.examined) == []


def test_a_conflicted_expert_or_another_candidates_address_is_a_404(
    client, world, panel, seat, original
):
    candidate, member = seat
    stored = _material(world, original)
    login(client, user_of(member))
    other = panel.candidates.get(application=world.exempt)
    assert _raw(client, member, panel, other, stored).status_code == 404
    # An expert of the panel who does not sit for the candidate reads nothing.
    services.declare_conflict(member, candidate, "亲属", by=user_of(member))
    assert _raw(client, member, panel, candidate, stored).status_code == 404
    assert reads(world.examined) == []

"""The printed documents: the two rosters (3.5.3) and the circular (3.5.2).

Rendering (typst, `core.pdf`) needs no database. The PDFs are read back with
poppler (`pdffonts`, `pdftotext`, `pdfinfo`, `pdftoppm`): a CJK PDF without an
embedded font prints empty boxes and raises nothing, so the fonts are
asserted, not only the text (ECOSYSTEM.md).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from gongkao.review.circular import (
    CircularData,
    UnitStats,
    render_circular_pdf,
    render_circular_text,
)
from gongkao.review.roster import (
    RosterData,
    RosterRow,
    attestation,
    render_roster,
    roster_title,
)

LONG_UNIT = "焦作市城乡一体化示范区管理委员会社会事业局所属焦作市第二十一中学（焦作市示范区实验学校）"
THRESHOLDS = (
    "多次退回（2次及以上）1人以上，或逾期未重新提交1人以上，或未按时报送申报人员名单"
)

# Characters typst reads as markup, code, math or labels; names may hold them.
MARKUP_NAME = r"王#[*$\<b>_`x`强"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "志强", "桂兰", "海燕", "国华", "丽娟", "红军", "文静", "德明"]
JOB_TYPES = ["汽车驾驶员", "电工", "中式烹调师", "绿化工", "保育员", "水生产处理工"]
LEVELS = ["五级（初级工）", "四级（中级工）", "三级（高级工）", "二级（技师）"]
ROUTES = ["按证书晋级", "按工作年限晋级", "转岗申报"]
EDUCATION = ["高中", "中专", "大专", "本科", "初中"]


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(
            f"{tool} is missing: install poppler-utils (`make test` does it, or "
            "`apt-get install -y poppler-utils`).",
            pytrace=False,
        )
    return subprocess.run(
        [tool, *args], check=True, capture_output=True, text=True
    ).stdout


def write(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", str(path), "-")


def flat_text(path: Path) -> str:
    """Text without whitespace: lines wrap anywhere inside Chinese prose."""
    return re.sub(r"\s+", "", poppler("pdftotext", str(path), "-"))


def embedded_cjk_fonts(path: Path) -> list[str]:
    """Embedded Noto CJK fonts `pdffonts` lists, as `NotoSerifCJKsc-Bold`.

    typst names them after the PostScript name (`ABCDEF+NotoSerifCJKsc-Bold-
    Identity-H`), some engines after the family (`Noto-Serif-CJK-SC-Bold`).
    A long name pushes pdffonts' columns right, so the `emb` flag is read from
    the end: name, type, encoding, emb, sub, uni, object, generation.
    """
    lines = poppler("pdffonts", str(path)).splitlines()
    names = [
        line.split()[0].split("+")[-1]
        for line in lines[2:]
        if line.split()[-5] == "yes"
    ]
    normalised = [re.sub(r"^Noto-S(ans|erif)-CJK", r"NotoS\1CJK", n) for n in names]
    return [name for name in normalised if re.match(r"NotoS(ans|erif)CJK", name)]


def page_info(path: Path) -> tuple[int, float, float]:
    info = poppler("pdfinfo", str(path))
    pages = re.search(r"^Pages:\s+(\d+)", info, re.M)
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert pages is not None and size is not None, info
    return int(pages.group(1)), float(size.group(1)), float(size.group(2))


def screenshot(path: Path, screenshot_dir: Path, name: str, page: int = 1) -> Path:
    prefix = screenshot_dir / name
    poppler(
        "pdftoppm", "-r", "60", "-png", "-singlefile",
        "-f", str(page), "-l", str(page), str(path), str(prefix),
    )  # fmt: skip
    png = prefix.with_suffix(".png")
    assert png.read_bytes().startswith(b"\x89PNG")
    return png


def roster_rows(count: int) -> tuple[RosterRow, ...]:
    rows = []
    for i in range(count):
        rows.append(
            RosterRow(
                name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
                sex="男" if i % 3 else "女",
                id_number_masked=f"41080{i % 10}********{(i * 37) % 1000:03d}X",
                job_type=JOB_TYPES[i % len(JOB_TYPES)],
                level_label=LEVELS[i % len(LEVELS)],
                route_label=ROUTES[i % len(ROUTES)],
                work_start=f"{1990 + i % 30}年{i % 12 + 1}月",
                education=EDUCATION[i % len(EDUCATION)],
                note="容缺后补：2024年度考核" if i % 7 == 3 else "",
            )
        )
    # Names do contain characters outside the BMP (𠮷, U+20BB7).
    rows[0] = replace(rows[0], name="𠮷祥")
    if count > 5:
        rows[5] = replace(
            rows[5],
            note="容缺后补：2024年度考核结果未经组织人事部门备案，承诺6月30日前上传",
        )
    return tuple(rows)


def roster(kind="passed", rows=60, department="焦作市教育局", **overrides):
    return RosterData(
        kind=kind,
        campaign_name="2025年全市机关事业单位工勤技能岗位等级考核",
        campaign_year=2025,
        unit_name=LONG_UNIT,
        department_name=department,
        office_name="焦作市工勤技能岗位等级考核办公室",
        rows=roster_rows(rows),
        printed_on=date(2025, 4, 3),
        reference="JZ2025-0012",
        **overrides,
    )


def unit_stats(name, **figures):
    values = {
        "division": "焦作市",
        "applications": 12,
        "returns": 9,
        "repeated_returns": 4,
        "overdue_resubmissions": 0,
        "late_list": False,
    }
    return UnitStats(unit_name=name, **{**values, **figures})


def circular(units=None):
    if units is None:
        units = (
            unit_stats("焦作市第一中学"),
            unit_stats(
                LONG_UNIT,
                division="示范区",
                applications=31,
                returns=14,
                repeated_returns=5,
                overdue_resubmissions=2,
                late_list=True,
            ),
            unit_stats(
                "焦作市园林绿化服务中心",
                applications=6,
                returns=1,
                repeated_returns=0,
                overdue_resubmissions=1,
            ),
        )
    return CircularData(
        office_name="焦作市工勤技能岗位等级考核办公室",
        campaign_name="2025年工勤技能岗位等级考核",
        issued_on=date(2025, 4, 3),
        number="焦工考通〔2025〕1号",
        thresholds=THRESHOLDS,
        units=units,
    )


# -- rosters ----------------------------------------------------------------


def test_roster_title_names_year_and_kind():
    assert roster_title(roster("passed", rows=1)) == (
        "2025年工勤技能岗位等级考核网上资格审查通过人员名册表"
    )
    assert roster_title(roster("onsite", rows=1)) == (
        "2025年工勤技能岗位等级考核需现场审查人员名册表"
    )


def test_attestation_names_first_person_and_count():
    data = roster(rows=5)

    assert attestation(data) == (
        f"经审核，我单位{data.rows[0].name}等5名同志符合相应工勤技能岗位等级考核"
        "申报资格条件，网上填报的个人信息和所有上报材料真实、准确，同意申报。"
        "以上如有不实，愿承担相应责任。"
    )


def test_attestation_same_for_onsite_roster():
    assert attestation(roster("onsite", rows=5)) == attestation(roster(rows=5))


def test_attestation_without_rows_refuses():
    data = replace(roster(rows=1), rows=())

    with pytest.raises(ValueError, match="没有人员"):
        attestation(data)


@pytest.mark.parametrize("kind", ["passed", "onsite"])
def test_roster_pdf_multipage_landscape_with_embedded_cjk(
    kind, tmp_path, screenshot_dir
):
    data = roster(kind, rows=60)

    pdf = render_roster(data)

    assert pdf.startswith(b"%PDF")
    path = write(pdf, tmp_path)
    fonts = embedded_cjk_fonts(path)
    assert any("NotoSansCJK" in font for font in fonts), fonts
    assert any("NotoSerifCJK" in font for font in fonts), fonts
    pages, width, height = page_info(path)
    assert pages >= 2
    assert width > height
    text = flat_text(path)
    assert roster_title(data) in text
    assert LONG_UNIT in text
    assert "𠮷祥" in text
    assert f"我单位{data.rows[0].name}等60名同志符合相应工勤技能岗位等级考核" in text
    assert attestation(data) in text
    assert "经办人（签字）" in text
    assert "单位负责人（签字）" in text
    assert "主管部门审核意见及公章" in text
    assert "JZ2025-0012" in text
    assert "2025年4月3日" in text
    assert f"第1页共{pages}页" in text
    assert f"第{pages}页共{pages}页" in text
    # The table header repeats on every page that has rows.
    for page in pdf_text(path).split("\f"):
        assert ("********" in page) == ("身份证号" in page)
    screenshot(path, screenshot_dir, f"roster_{kind}_page1")
    screenshot(path, screenshot_dir, f"roster_{kind}_last", page=pages)


def test_roster_pdf_without_department_says_so(tmp_path, screenshot_dir):
    data = roster("onsite", rows=3, department=None)

    path = write(render_roster(data), tmp_path)

    text = flat_text(path)
    assert "无主管部门" in text
    assert "主管部门审核意见及公章" not in text
    assert "主管部门：无" in text
    assert page_info(path)[0] == 1
    screenshot(path, screenshot_dir, "roster_no_department_page1")


def test_roster_pdf_escapes_markup_in_data(tmp_path):
    data = replace(roster(rows=2), unit_name="焦作市<b>测试</b>&单位")

    text = flat_text(write(render_roster(data), tmp_path))

    assert "焦作市<b>测试</b>&单位" in text


def test_roster_pdf_shows_typst_markup_in_names_literally(tmp_path):
    rows = roster_rows(3)
    data = replace(
        roster(rows=3),
        unit_name="焦作市#set page(width: 1cm)[测试]单位",
        rows=(rows[0], replace(rows[1], name=MARKUP_NAME), rows[2]),
    )

    text = flat_text(write(render_roster(data), tmp_path))

    assert MARKUP_NAME in text
    assert "焦作市#setpage(width:1cm)[测试]单位" in text
    assert "𠮷祥" in text


@pytest.mark.parametrize("rows", [1, 10, 19])
def test_roster_pdf_attestation_never_alone_on_a_page(rows, tmp_path):
    # 10 and 19 rows fill the first page so that the closing block moves on:
    # the last row goes with it, under a repeated header.
    data = roster(rows=rows)

    path = write(render_roster(data), tmp_path)

    pages = pdf_text(path).split("\f")[:-1]
    assert sum(page.count("********") for page in pages) == rows
    for page in pages:
        assert ("********" in page) == ("身份证号" in page)
    assert "经审核" in pages[-1]
    assert "********" in pages[-1]
    assert re.sub(r"\s+", "", attestation(data)) in flat_text(path)


# -- circular ---------------------------------------------------------------


def test_circular_text_lists_units_over_threshold():
    data = circular()

    text = render_circular_text(data)

    assert text.startswith("关于2025年工勤技能岗位等级考核网上报名情况的通报\n")
    assert "各有关单位：" in text
    assert "三（五）2" in text or "第（五）项第2条" in text
    assert THRESHOLDS in text
    for unit in data.units:
        assert unit.unit_name in text
    assert "1. 焦作市第一中学" in text
    assert "3. 焦作市园林绿化服务中心" in text
    assert "未按时报送申报人员名单" in text
    assert text.rstrip().endswith("焦作市工勤技能岗位等级考核办公室\n2025年4月3日")


def test_circular_text_figures_per_unit():
    text = render_circular_text(circular())

    line = next(line for line in text.splitlines() if "园林绿化" in line)
    assert "申报6人" in line
    assert "逾期未重新提交1人" in line


def test_circular_text_without_units_says_none_over_threshold():
    text = render_circular_text(circular(units=()))

    assert "未发现" in text
    assert THRESHOLDS in text
    assert "1. " not in text
    assert text.rstrip().endswith("2025年4月3日")


def test_circular_pdf_embeds_cjk_and_lists_units(tmp_path, screenshot_dir):
    data = circular()

    pdf = render_circular_pdf(data)

    assert pdf.startswith(b"%PDF")
    path = write(pdf, tmp_path)
    assert any("NotoSerifCJK" in font for font in embedded_cjk_fonts(path))
    pages, width, height = page_info(path)
    assert width < height
    text = flat_text(path)
    assert "关于2025年工勤技能岗位等级考核网上报名情况的通报" in text
    assert "焦工考通〔2025〕1号" in text
    assert re.sub(r"\s+", "", THRESHOLDS) in text
    for unit in data.units:
        assert unit.unit_name in text
    screenshot(path, screenshot_dir, "circular_page1")
    screenshot(path, screenshot_dir, "circular_last", page=pages)


def test_circular_pdf_shows_typst_markup_in_unit_names_literally(tmp_path):
    data = circular(units=(unit_stats(MARKUP_NAME), unit_stats("焦作市第一中学")))

    text = flat_text(write(render_circular_pdf(data), tmp_path))

    assert text.count(MARKUP_NAME) == 2  # the list in the text, and the annex


def test_circular_pdf_without_units_is_valid(tmp_path, screenshot_dir):
    path = write(render_circular_pdf(circular(units=())), tmp_path)

    text = flat_text(path)
    assert "关于2025年工勤技能岗位等级考核网上报名情况的通报" in text
    assert "未发现" in text
    assert any("NotoSerifCJK" in font for font in embedded_cjk_fonts(path))
    screenshot(path, screenshot_dir, "circular_empty_page1")

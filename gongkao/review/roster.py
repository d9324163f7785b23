"""The two rosters a unit prints, signs and stamps (notice 三（五）3).

After every applicant of a unit has passed online review, the unit prints the
网上资格审查通过人员名册表 and the 需现场审查人员名册表, writes the attestation
below the table, has the clerk and the head sign, stamps it and takes it to its
supervising department for a second stamp.

The module knows nothing about models: callers build a `RosterData` and get PDF
bytes back from `render_roster` (STYLE.md §2.10). Fonts are Debian's Noto CJK,
found by family name through fontconfig and embedded by WeasyPrint, so rare
characters in names (𠮷) print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

RosterKind = Literal["passed", "onsite"]

ROSTER_NAMES: dict[RosterKind, str] = {
    "passed": "网上资格审查通过人员名册表",
    "onsite": "需现场审查人员名册表",
}

TEMPLATE = "review/pdf/roster.html"


@dataclass(frozen=True)
class RosterRow:
    name: str
    sex: str  # "男" / "女"
    id_number_masked: str
    job_type: str
    level_label: str  # "四级（中级工）"
    route_label: str  # "按证书晋级" …
    work_start: str  # "2008年7月"
    education: str
    note: str = ""  # "容缺后补：2024年度考核"


@dataclass(frozen=True)
class RosterData:
    kind: RosterKind
    campaign_name: str
    campaign_year: int
    unit_name: str
    department_name: str | None  # None: the unit has no supervising department
    office_name: str
    rows: tuple[RosterRow, ...]
    printed_on: date
    reference: str  # batch reference, "JZ2025-0012"


def chinese_date(day: date) -> str:
    """`2025年4月3日`, the form the notice itself uses (GB/T 9704: Arabic)."""
    return f"{day.year}年{day.month}月{day.day}日"


def roster_title(data: RosterData) -> str:
    return f"{data.campaign_year}年工勤技能岗位等级考核{ROSTER_NAMES[data.kind]}"


def attestation(data: RosterData) -> str:
    """The sentence the notice prescribes, with the first name and the count.

    Both rosters carry the same sentence: the unit vouches for everyone on it.
    """
    if not data.rows:
        raise ValueError("名册表没有人员，无法出具审核意见。")
    return (
        f"经审核，我单位{data.rows[0].name}等{len(data.rows)}名同志符合相应工勤技能"
        "岗位等级考核申报资格条件，网上填报的个人信息和所有上报材料真实、准确，"
        "同意申报。以上如有不实，愿承担相应责任。"
    )


def render_roster(data: RosterData) -> bytes:
    """The roster as A4 landscape PDF bytes."""
    from django.template.loader import render_to_string

    html = render_to_string(
        TEMPLATE,
        {
            "title": roster_title(data),
            "data": data,
            "attestation": attestation(data),
            "printed_on": chinese_date(data.printed_on),
        },
    )
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint, imported here: it takes about a second to import (§2.10)."""
    import weasyprint  # type: ignore[import-untyped]  # ships no py.typed

    # With no target, write_pdf returns the document as bytes.
    pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    return pdf

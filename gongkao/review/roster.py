"""The two rosters a unit prints, signs and stamps (notice 三（五）3).

After every applicant of a unit has passed online review, the unit prints the
网上资格审查通过人员名册表 and the 需现场审查人员名册表, writes the attestation
below the table, has the clerk and the head sign, stamps it and takes it to its
supervising department for a second stamp.

The module knows nothing about models: callers build a `RosterData` and get PDF
bytes back from `render_roster` (STYLE.md §2.10). The layout is `roster.typ`
beside this module, compiled by typst through `core.pdf.render_pdf`; the data
goes in as JSON, and Debian's Noto CJK fonts are embedded, so rare characters
in names (𠮷) print.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from gongkao.core.dates import chinese_date
from gongkao.core.pdf import render_pdf

RosterKind = Literal["passed", "onsite"]

ROSTER_NAMES: dict[RosterKind, str] = {
    "passed": "网上资格审查通过人员名册表",
    "onsite": "需现场审查人员名册表",
}

TEMPLATE = Path(__file__).with_name("roster.typ")


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
    return render_pdf(TEMPLATE, roster_document(data))


def roster_document(data: RosterData) -> dict[str, Any]:
    """What `roster.typ` reads: plain JSON, every value shown as text."""
    return {
        "title": roster_title(data),
        "campaign_name": data.campaign_name,
        "unit_name": data.unit_name,
        "department_name": data.department_name or None,
        "office_name": data.office_name,
        "reference": data.reference,
        "printed_on": chinese_date(data.printed_on),
        "attestation": attestation(data),
        "rows": [
            {
                "number": str(number),
                "name": row.name,
                "sex": row.sex,
                "id_number": row.id_number_masked,
                "job_type": row.job_type,
                "level": row.level_label,
                "route": row.route_label,
                "work_start": row.work_start,
                "education": row.education,
                "note": row.note,
            }
            for number, row in enumerate(data.rows, 1)
        ],
    }

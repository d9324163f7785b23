"""The circular on units whose applicants were returned too often (3.5.2).

The notice warns: 对上传资料不规范多次被退回或未在规定时间内重新上传提交的人员，
市工考办将对其所在单位进行通报. The office counts, per unit, returns, repeated
returns, overdue resubmissions and a late applicant list (3.5.1); the caller
picks the units over its thresholds and this module writes the circular, as
plain text (for a message or the website) and as an A4 official-document PDF
(`circular.typ` beside this module, compiled by typst: `core.pdf.render_pdf`).

Both forms come from one `CircularParts`, so they never say different things.
Dates use Arabic numerals (2025年4月3日), as the notice itself does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from gongkao.core.dates import chinese_date
from gongkao.core.pdf import render_pdf

TEMPLATE = Path(__file__).with_name("circular.typ")
INDENT = "\u3000\u3000"  # two ideographic spaces open a paragraph


@dataclass(frozen=True)
class UnitStats:
    unit_name: str
    division: str
    applications: int
    returns: int  # returns, counting each one (人次)
    repeated_returns: int  # applications returned two or more times
    overdue_resubmissions: int  # people not resubmitted within 2 working days
    late_list: bool  # applicant list not mailed within 2 working days (3.5.1)


@dataclass(frozen=True)
class CircularData:
    office_name: str
    campaign_name: str  # "2025年工勤技能岗位等级考核"
    issued_on: date
    number: str  # "焦工考通〔2025〕1号", given by the caller
    thresholds: str  # human text of what puts a unit in the circular
    units: tuple[UnitStats, ...]  # the units over the thresholds, in order


@dataclass(frozen=True)
class CircularParts:
    title: str
    salutation: str
    opening: str
    items: tuple[str, ...]
    closing: tuple[str, ...]
    signature: str
    date: str


def unit_summary(unit: UnitStats) -> str:
    """One unit's figures in a sentence: `申报12人，累计退回9人次，…`."""
    parts = [
        f"申报{unit.applications}人",
        f"累计退回{unit.returns}人次",
        f"其中多次退回（2次及以上）{unit.repeated_returns}人",
        f"逾期未重新提交{unit.overdue_resubmissions}人",
    ]
    if unit.late_list:
        parts.append("未按时报送申报人员名单")
    return "，".join(parts) + "。"


def circular_parts(data: CircularData) -> CircularParts:
    as_of = chinese_date(data.issued_on)
    basis = (
        f"按照{data.campaign_name}考务工作通知“三、报名资格审查”第（五）项第2条"
        "关于“对上传资料不规范多次被退回或未在规定时间内重新上传提交的人员，"
        "市工考办将对其所在单位进行通报”的要求，"
    )
    closing: tuple[str, ...]
    if data.units:
        opening = (
            f"{basis}我办对截至{as_of}各单位网上报名及资格审查情况进行了统计。"
            f"经统计，有{len(data.units)}个单位存在{data.thresholds}的情况，"
            "现予以通报："
        )
        closing = (
            "请以上单位高度重视，认真查找原因，切实加强对申报人员网上报名情况的"
            "督促指导，对申报材料逐项认真审核后再组织上传提交；申报材料被退回的，"
            "督促申报人员在2个工作日内按要求修改、补充并重新上传提交。",
            "各单位要严格按照通知要求和时间节点做好后续网上资格审查、现场审查确认"
            "等工作，确保报名工作顺利进行。",
        )
    else:
        opening = (
            f"{basis}我办对截至{as_of}各单位网上报名及资格审查情况进行了统计。"
            f"经统计，未发现存在{data.thresholds}情况的单位。"
        )
        closing = (
            "请各单位继续切实加强对申报人员网上报名情况的督促指导，对申报材料逐项"
            "认真审核后再组织上传提交；申报材料被退回的，督促申报人员在2个工作日内"
            "按要求修改、补充并重新上传提交，确保报名工作顺利进行。",
        )
    items = tuple(
        f"{unit.unit_name}（{unit.division}）：{unit_summary(unit)}"
        for unit in data.units
    )
    return CircularParts(
        title=circular_title(data),
        salutation="各有关单位：",
        opening=opening,
        items=items,
        closing=closing,
        signature=data.office_name,
        date=as_of,
    )


def circular_title(data: CircularData) -> str:
    return f"关于{data.campaign_name}网上报名情况的通报"


def render_circular_text(data: CircularData) -> str:
    """The circular as plain text, one paragraph a line."""
    parts = circular_parts(data)
    lines = [parts.title, data.number, "", parts.salutation]
    lines.append(INDENT + parts.opening)
    lines.extend(
        f"{INDENT}{number}. {item}" for number, item in enumerate(parts.items, 1)
    )
    lines.extend(INDENT + paragraph for paragraph in parts.closing)
    lines.extend(["", parts.signature, parts.date])
    return "\n".join(lines) + "\n"


def render_circular_pdf(data: CircularData) -> bytes:
    """The circular as an A4 portrait official document, with a table of units."""
    return render_pdf(
        TEMPLATE,
        {
            "office_name": data.office_name,
            "number": data.number,
            "thresholds": data.thresholds,
            "issuer_size": issuer_size(data.office_name),
            "parts": asdict(circular_parts(data)),
            "units": [asdict(unit) for unit in data.units],
        },
    )


def issuer_size(office_name: str) -> int:
    """Point size that keeps the red issuer line on one line where it can.

    The type area is 156 mm (442 pt) wide; CJK glyphs are one em wide. Very
    long names stop shrinking at 22 pt (the title's size) and wrap instead.
    """
    return max(22, min(34, 440 // max(len(office_name), 1)))

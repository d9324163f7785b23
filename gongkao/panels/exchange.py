"""The expert pool's Excel/CSV layout: import (every bad row named, all or
nothing) and export. Parsing is pure; `services.import_experts` writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from gongkao.accounts.idnumbers import is_mobile_number, normalize_phone
from gongkao.questions.exchange import read_rows

COLUMNS = (
    "姓名",
    "工作单位",
    "统一社会信用代码",
    "职称",
    "可评审工种代码",
    "手机号",
    "聘期开始",
    "聘期结束",
)
REQUIRED = (
    "姓名",
    "工作单位",
    "职称",
    "可评审工种代码",
    "手机号",
    "聘期开始",
    "聘期结束",
)


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行：{self.message}"


@dataclass(frozen=True)
class ParsedExpert:
    row: int
    name: str
    unit_name: str
    unit_id: int | None
    title: str
    job_type_ids: tuple[int, ...]
    phone: str
    term_start: date
    term_end: date


@dataclass
class Parsed:
    experts: list[ParsedExpert] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _date(text: str) -> date | None:
    text = text.strip().split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse(
    data: bytes,
    filename: str,
    job_types: Callable[[str], int | None],
    units: Callable[[str], int | None],
) -> Parsed:
    """Read an expert file; `job_types` maps a code to its id, `units` a
    credit code to a unit id (None: unknown)."""
    parsed = Parsed()
    try:
        header, rows = read_rows(data, filename)
    except ValueError:
        parsed.errors.append(
            RowError(1, "无法读取文件，请上传.xlsx或.csv格式的专家名单。")
        )
        return parsed
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        parsed.errors.append(RowError(1, f"缺少列：{'、'.join(missing)}"))
        return parsed
    index = {name: header.index(name) for name in COLUMNS if name in header}
    phones: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not any(cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        problems = []
        for name in REQUIRED:
            if not cell(name):
                problems.append(f"{name}不能为空")
        for name, limit in (("姓名", 30), ("工作单位", 100), ("职称", 30)):
            if len(cell(name)) > limit:
                problems.append(f"{name}不能超过{limit}个字")
        phone = normalize_phone(cell("手机号"))
        if phone and not is_mobile_number(phone):
            problems.append("手机号格式不正确")
        elif phone in phones:
            problems.append(f"手机号与第{phones[phone]}行重复")
        phones.setdefault(phone, number)
        unit_id = None
        if cell("统一社会信用代码"):
            unit_id = units(cell("统一社会信用代码"))
            if unit_id is None:
                problems.append("统一社会信用代码不是已登记的单位")
        ids = []
        for code in (
            c for c in re.split(r"[、，,;；\s]+", cell("可评审工种代码")) if c
        ):
            found = job_types(code)
            if found is None:
                problems.append(f"工种代码{code}不在工种目录中")
            else:
                ids.append(found)
        start, end = _date(cell("聘期开始")), _date(cell("聘期结束"))
        if cell("聘期开始") and start is None:
            problems.append("聘期开始日期格式不正确（如2025-01-01）")
        if cell("聘期结束") and end is None:
            problems.append("聘期结束日期格式不正确（如2027-12-31）")
        if start and end and end < start:
            problems.append("聘期结束早于聘期开始")
        if problems:
            parsed.errors.append(RowError(number, "；".join(problems)))
            continue
        assert start is not None and end is not None
        parsed.experts.append(
            ParsedExpert(
                row=number,
                name=cell("姓名"),
                unit_name=cell("工作单位"),
                unit_id=unit_id,
                title=cell("职称"),
                job_type_ids=tuple(dict.fromkeys(ids)),
                phone=phone,
                term_start=start,
                term_end=end,
            )
        )
    if not parsed.experts and not parsed.errors:
        parsed.errors.append(RowError(2, "文件中没有专家"))
    return parsed


def export_rows(rows: Iterable[dict[str, str]]) -> list[list[str]]:
    return [[row.get(c, "") for c in COLUMNS] for row in rows]

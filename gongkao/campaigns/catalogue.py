"""Import and export of the job-type (工种) catalogue as Excel or CSV.

The same six columns both ways, so that an exported file can be edited and
imported back. An import is all or nothing: one bad row saves nothing and
every bad row is reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.db import models, transaction
from django.utils import timezone

from gongkao.campaigns.models import JobType
from gongkao.core.exports import FORMULA_PREFIXES, csv_safe, mark_as_text

EXPORT_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
COLUMNS = ["工种代码", "工种名称", "类别", "可考核等级", "启用日期", "停用日期"]
STARTER_CSV = Path(__file__).parent / "fixtures" / "starter_job_types.csv"
# Data rows in one import; beyond this the file is refused before parsing.
MAX_IMPORT_ROWS = 50_000
_TOO_MANY_ROWS = (
    f"文件行数过多：一次最多导入{MAX_IMPORT_ROWS}行工种，请拆分后分批导入。"
)
_LEVEL_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    retired: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    category: str
    levels: list[int]
    valid_from: date | None
    valid_until: date | None


def export_job_types(
    fmt: str, *, progress: Callable[[int, int], None] | None = None
) -> bytes:
    """The whole catalogue as `xlsx` or `csv` (UTF-8 with BOM, for Excel).

    `progress(done, total)` is called after each row is written.
    """
    if fmt not in EXPORT_CONTENT_TYPES:
        raise ValueError(f"unknown format {fmt!r}")
    rows = [
        [
            jt.code,
            jt.name,
            jt.category,
            ",".join(str(n) for n in sorted(jt.levels)),
            jt.valid_from.isoformat() if jt.valid_from else "",
            jt.valid_until.isoformat() if jt.valid_until else "",
        ]
        for jt in JobType.objects.order_by("category", "code")
    ]
    total = len(rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for done, row in enumerate(rows, start=1):
            writer.writerow([csv_safe(value) for value in row])
            if progress is not None:
                progress(done, total)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "工种目录"
    sheet.append(COLUMNS)
    for done, row in enumerate(rows, start=1):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            mark_as_text(cell)
        if progress is not None:
            progress(done, total)
    for column, width in zip("ABCDEF", (12, 20, 16, 14, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read_table(data: bytes, filename: str) -> list[list[Any]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        # openpyxl needs seconds for a big sheet even in read-only mode: count
        # the rows of the raw XML first and stop at the limit.
        if _xlsx_rows_exceed(data, MAX_IMPORT_ROWS + 1):
            raise ValueError(_TOO_MANY_ROWS)
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on a broken file
            raise ValueError(
                "无法读取该 Excel 文件，请确认是 .xlsx 格式且未损坏。"
            ) from exc
        sheet = workbook.worksheets[0]
        # The declared dimension is cheap but may lie; count while reading too.
        if (sheet.max_row or 0) > MAX_IMPORT_ROWS + 1:
            workbook.close()
            raise ValueError(_TOO_MANY_ROWS)
        return _bounded(sheet.iter_rows(values_only=True))
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK 编码。")
        try:
            return _bounded(csv.reader(io.StringIO(text)))
        except csv.Error as exc:  # e.g. a field over csv.field_size_limit()
            raise ValueError(
                "CSV 文件格式有误（某个单元格过长或引号不匹配）。"
            ) from exc
    raise ValueError("只支持 .xlsx 或 .csv 文件。")


_SCAN_CHUNK = 1 << 20
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xlsx_rows_exceed(data: bytes, limit: int) -> bool:
    """Whether the first sheet has more than `limit` rows, read as a stream.

    Decompresses only until the count passes the limit, so a sheet of
    millions of rows costs what one of `limit` rows does. A file that is not
    a readable workbook is left for openpyxl to explain.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            path = _first_sheet_path(archive)
            rows = 0
            tail = b""
            with archive.open(path) as stream:
                while chunk := stream.read(_SCAN_CHUNK):
                    text = tail + chunk
                    # A tag cut in two stays whole in the tail: cut after a ">".
                    cut = text.rfind(b">") + 1
                    rows += len(_ROW_TAG.findall(text[:cut]))
                    if rows > limit:
                        return True
                    tail = text[cut:]
            rows += len(_ROW_TAG.findall(tail))
            return rows > limit
    except (
        zipfile.BadZipFile,
        KeyError,
        StopIteration,
        ElementTree.ParseError,
        OSError,
    ):
        return False


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(el for el in workbook.iter() if el.tag.endswith("}sheet"))
    rel_id = sheet.get(f"{_REL_NS}id")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(el.get("Target", "") for el in rels if el.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _bounded(rows: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """The rows as lists; refused as soon as there are too many (header + limit)."""
    table: list[list[Any]] = []
    for row in rows:
        if len(table) > MAX_IMPORT_ROWS:
            raise ValueError(_TOO_MANY_ROWS)
        table.append(list(row))
    return table


def _text_problems(label: str, value: str, max_length: int) -> list[str]:
    problems = []
    if "\x00" in value:
        problems.append(f"{label}含有不允许的控制字符")
    if len(value) > max_length:
        problems.append(f"{label}过长（最多{max_length}个字）")
    return problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]  # a formula-like value escaped by our CSV export
    return text


def _parse_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip().replace("/", "-"))


def _parse_levels(value: Any) -> list[int]:
    text = _cell(value).replace("，", ",").replace("、", ",").replace("级", "")
    levels = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        levels.add(_LEVEL_WORDS.get(part) or int(part))
    if not levels or not levels <= {1, 2, 3, 4, 5}:
        raise ValueError
    return sorted(levels)


def _parse_rows(table: list[list[Any]]) -> tuple[list[_Row], list[str]]:
    if not table or [_cell(c) for c in table[0][: len(COLUMNS)]] != COLUMNS:
        return [], [f"第1行应为表头：{'、'.join(COLUMNS)}（可先导出一份作为模板）。"]
    rows: list[_Row] = []
    errors: list[str] = []
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    for number, raw in enumerate(table[1:], start=2):
        cells = [*raw, *[None] * len(COLUMNS)][: len(COLUMNS)]
        if all(_cell(c) == "" for c in cells):
            continue
        code, name, category = (_cell(c) for c in cells[:3])
        problems = []
        if not code:
            problems.append("工种代码为空")
        if not name:
            problems.append("工种名称为空")
        if not category:
            problems.append("类别为空")
        for label, value, field_name in (
            ("工种代码", code, "code"),
            ("工种名称", name, "name"),
            ("类别", category, "category"),
        ):
            model_field = JobType._meta.get_field(field_name)
            assert isinstance(model_field, models.CharField)
            assert model_field.max_length is not None
            problems += _text_problems(label, value, model_field.max_length)
        try:
            levels = _parse_levels(cells[3])
        except ValueError:
            problems.append(f"可考核等级“{_cell(cells[3])}”应为1至5级，如 1,2,3,4,5")
            levels = []
        try:
            valid_from = _parse_date(cells[4])
            valid_until = _parse_date(cells[5])
        except ValueError:
            problems.append("日期应为 YYYY-MM-DD 格式")
            valid_from = valid_until = None
        if valid_from and valid_until and valid_until < valid_from:
            problems.append("停用日期早于启用日期")
        if code in seen_codes:
            problems.append(f"工种代码与第{seen_codes[code]}行重复")
        if name in seen_names:
            problems.append(f"工种名称与第{seen_names[name]}行重复")
        seen_codes.setdefault(code, number)
        seen_names.setdefault(name, number)
        if problems:
            errors.append(f"第{number}行：" + "；".join(problems) + "。")
        else:
            rows.append(_Row(code, name, category, levels, valid_from, valid_until))
    if not rows and not errors:
        errors.append("文件中没有工种数据。")
    return rows, errors


def import_job_types(
    data: bytes, filename: str, *, is_starter: bool = False, retire_starter: bool = True
) -> ImportReport:
    """Create or update job types by code from an Excel/CSV file.

    With `retire_starter`, starter entries missing from the file are given a
    停用日期 of today, not deleted, so that records pointing at them survive.
    """
    report = ImportReport()
    try:
        table = _read_table(data, filename)
    except ValueError as exc:
        report.errors.append(str(exc))
        return report
    rows, report.errors = _parse_rows(table)
    if report.errors:
        return report
    with transaction.atomic():
        existing = {jt.code: jt for jt in JobType.objects.select_for_update()}
        names_in_use = {jt.name: jt.code for jt in existing.values()}
        file_codes = {row.code for row in rows}
        for row in rows:
            owner = names_in_use.get(row.name)
            if owner and owner != row.code and owner not in file_codes:
                report.errors.append(f"工种名称“{row.name}”已被代码 {owner} 使用。")
        if report.errors:
            return report
        # Free names first so that a rename between two codes in one file works.
        for code, jt in existing.items():
            if code in file_codes:
                JobType.objects.filter(pk=jt.pk).update(name=f"__import__{jt.pk}")
        for row in rows:
            values = {
                "name": row.name,
                "category": row.category,
                "levels": row.levels,
                "valid_from": row.valid_from,
                "valid_until": row.valid_until,
                "is_starter": is_starter,
            }
            if row.code in existing:
                JobType.objects.filter(pk=existing[row.code].pk).update(**values)
                report.updated += 1
            else:
                JobType.objects.create(code=row.code, **values)
                report.created += 1
        if retire_starter and not is_starter:
            report.retired = (
                JobType.objects.filter(is_starter=True, valid_until__isnull=True)
                .exclude(code__in=file_codes)
                .update(valid_until=timezone.localdate())
            )
    return report


def load_starter_catalogue() -> ImportReport:
    """Install the starter list, leaving any job type already present untouched."""
    if JobType.objects.exists():
        return ImportReport()
    return import_job_types(STARTER_CSV.read_bytes(), STARTER_CSV.name, is_starter=True)

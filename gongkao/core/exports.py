"""Excel (.xlsx) exports of queue and dashboard tables, with the filters applied.

One pure builder, `workbook_bytes`, and one HTTP wrapper, `xlsx_response`
(the split STYLE.md §2.10 asks of PDFs). A view collects its filtered rows and
writes, for example::

    columns = [Column("姓名", 10), Column("申报工种", 18), Column("提交时间", 18, "datetime")]
    rows = ((a.name, a.job_type.name, a.submitted_at) for a in applications)
    data = workbook_bytes(
        [("资格审查", columns, rows)],
        title="资格审查队列",
        subtitle="筛选：状态=资格审查中；单位=焦作市人民医院",
    )
    return xlsx_response(data, "资格审查队列.xlsx")

openpyxl's write-only mode streams rows to a temporary file, so rows may be
a generator (e.g. ``queryset.iterator()``) and 20,000 rows stay cheap.

Cell rules: ``None`` is an empty cell; dates are real Excel dates
(yyyy-mm-dd); datetimes are shown in Beijing time (Asia/Shanghai, naive in
the cell, yyyy-mm-dd hh:mm); money is a number with two decimals; booleans
are 是/否; any other object is written as ``str(value)``, so pass choice
*labels* (``get_status_display()``), not enum members. Text that Excel could
take for a formula (starting with = + - @, tab or carriage return) is stored
as a plain string with Excel's quote prefix, never as a formula.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, MergedCell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "0.00"

# OWASP "CSV injection": leading characters that spreadsheets may evaluate.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel forbids these in sheet names, and names longer than 31 characters.
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31

ColumnKind = Literal["text", "int", "date", "datetime", "money"]
Sheet = tuple[str, Sequence["Column"], Iterable[Sequence[object]]]


@dataclass(frozen=True)
class Column:
    title: str  # Chinese header
    width: int = 14  # approx characters (a Chinese character counts as two)
    kind: ColumnKind = "text"


_TITLE_FONT = Font(bold=True, size=14)
_SUBTITLE_FONT = Font(color="52606D")
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="F0F4F8")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="9AA5B1"))
_HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def workbook_bytes(
    sheets: Sequence[Sheet], *, title: str = "", subtitle: str = ""
) -> bytes:
    """Build an .xlsx file: one worksheet per (name, columns, rows) triple.

    Each sheet gets the optional title and subtitle rows (merged across the
    table's width), then a bold header row that is frozen and carries an
    autofilter over the whole table. Every row must have one value per column.
    """
    if not sheets:
        raise ValueError("An export needs at least one sheet.")
    wb = Workbook(write_only=True)
    if title:
        wb.properties.title = title
    wb.properties.creator = "工勤技能岗位等级考核系统"
    used: set[str] = set()
    written: list[Worksheet] = []
    try:
        for index, (name, columns, rows) in enumerate(sheets, start=1):
            if not columns:
                raise ValueError(f"Sheet {name!r} has no columns.")
            sheet_title = _unique_sheet_name(sanitize_sheet_name(name, index), used)
            # A write-only sheet at run time; typed as Worksheet because the
            # stubs leave out what both share (column_dimensions, auto_filter…).
            ws: Worksheet = wb.create_sheet(sheet_title)
            written.append(ws)
            _write_sheet(ws, columns, rows, title=title, subtitle=subtitle)
    except BaseException:
        _discard(written)
        raise
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """Serve `data` as an attachment named `filename` (Chinese is fine).

    The Content-Disposition header carries an ASCII ``filename=`` for old
    clients and the exact name as RFC 5987 ``filename*=UTF-8''…``.
    """
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    filename = filename.replace("\r", "").replace("\n", "").replace("/", "_")
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    response["Content-Length"] = str(len(data))
    # Exports hold personal data: keep them out of shared and browser caches.
    response["Cache-Control"] = "private, no-store"
    return response


def sanitize_sheet_name(name: str, index: int = 1) -> str:
    """An Excel-valid sheet name: no []:*?/\\, no edge apostrophes, ≤ 31 chars."""
    cleaned = SHEET_NAME_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name))
    cleaned = cleaned.strip().strip("'").strip()[:SHEET_NAME_MAX].rstrip("'")
    return cleaned or f"Sheet{index}"


def _unique_sheet_name(name: str, used: set[str]) -> str:
    # Excel compares sheet names case-insensitively.
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        suffix = f"({n})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.casefold())
    return candidate


def _write_sheet(
    ws: Worksheet,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    subtitle: str,
) -> None:
    ncols = len(columns)
    last_col = get_column_letter(ncols)
    # Widths and frozen panes must be set before the first row is streamed.
    for i, column in enumerate(columns, start=1):
        width = max(column.width, _display_width(column.title) + 2)
        ws.column_dimensions[get_column_letter(i)].width = width
    header_row = 1 + bool(title) + bool(subtitle)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"

    row_number = 0
    for text, font in ((title, _TITLE_FONT), (subtitle, _SUBTITLE_FONT)):
        if not text:
            continue
        row_number += 1
        cell = _text_cell(ws, text)
        cell.font = font
        ws.append([cell])
        if ncols > 1:
            ws.merged_cells.add(f"A{row_number}:{last_col}{row_number}")

    header = []
    for column in columns:
        cell = _text_cell(ws, column.title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = _HEADER_ALIGNMENT
        header.append(cell)
    ws.append(header)
    row_number += 1

    kinds = [column.kind for column in columns]
    for values in rows:
        row_number += 1
        if len(values) != ncols:
            raise ValueError(
                f"Sheet {ws.title!r}, row {row_number}: {len(values)} values "
                f"for {ncols} columns."
            )
        ws.append(
            [_cell(ws, value, kind) for value, kind in zip(values, kinds, strict=True)]
        )

    ws.auto_filter.ref = f"A{header_row}:{last_col}{row_number}"


def _discard(sheets: Sequence[Worksheet]) -> None:
    """Close half-streamed sheets and delete their temporary files.

    A row of the wrong length, or an error raised by the rows iterable (a
    database error in ``queryset.iterator()``), leaves openpyxl's streaming
    generators open and its temp files on disk until the process exits.
    """
    for ws in sheets:
        rows = getattr(ws, "_rows", None)
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                writer.cleanup()


def _cell(ws: Worksheet, value: object, kind: ColumnKind) -> object:
    """The value (or a styled WriteOnlyCell) to append for one table cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        local = (
            value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value.tzinfo else value
        )
        if kind == "date":
            return _formatted(ws, local.date(), DATE_FORMAT)
        return _formatted(ws, local, DATETIME_FORMAT)
    if isinstance(value, date):
        return _formatted(ws, value, DATE_FORMAT)
    if isinstance(value, int | float | Decimal):
        if kind == "money":
            return _formatted(ws, value, MONEY_FORMAT)
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if text.startswith(FORMULA_PREFIXES):
        return _text_cell(ws, text)
    return text  # plain text needs no cell object: cheaper for big exports


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet might evaluate `text` (OWASP "CSV injection")."""
    return text.startswith(FORMULA_PREFIXES)


def csv_safe(value: str) -> str:
    """A CSV cell that no spreadsheet evaluates: a leading ' when formula-like.

    The one helper for CSV exports; xlsx exports mark such cells as text
    instead (see `mark_as_text`), which keeps the value unchanged.
    """
    return "'" + value if is_formula_like(value) else value


def mark_as_text(cell: Cell | MergedCell) -> None:
    """Make a formula-like string cell plain text (Excel's leading ')."""
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _formatted(
    ws: Worksheet, value: date | float | Decimal, number_format: str
) -> Cell:
    cell = WriteOnlyCell(ws)
    cell.value = value
    cell.number_format = number_format
    return cell


def _text_cell(ws: Worksheet, text: str) -> Cell:
    # Control characters other than tab/newline make the file unreadable.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = WriteOnlyCell(ws, text)
    if text.startswith(FORMULA_PREFIXES):
        # Never a formula: a plain string, marked "text" (Excel's leading ')
        # so that it stays text even when a user edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _ascii_filename(filename: str) -> str:
    stem, _, _ext = filename.rpartition(".")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")
    # A name made only of digits and dashes (a Chinese name's date) is kept
    # but prefixed, so that the fallback still says what it is.
    if not re.search(r"[A-Za-z]", ascii_stem):
        ascii_stem = f"export_{ascii_stem}" if ascii_stem else "export"
    return f"{ascii_stem}.xlsx"

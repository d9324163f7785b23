"""Excel exports: what a reviewer opens in Excel is what the table showed."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from gongkao.core.exports import (
    XLSX_CONTENT_TYPE,
    Column,
    csv_safe,
    sanitize_sheet_name,
    workbook_bytes,
    xlsx_response,
)

COLUMNS = [
    Column("姓名", 10),
    Column("申报人数", 10, "int"),
    Column("提交日期", 12, "date"),
    Column("提交时间", 18, "datetime"),
    Column("考试费", 10, "money"),
    Column("备注", 30),
]
ROWS = [
    (
        "张三",
        3,
        date(2025, 6, 1),
        datetime(2025, 6, 1, 2, 30, tzinfo=UTC),  # 10:30 in Beijing
        Decimal("120.50"),
        None,
    ),
    ("李四", 0, None, None, 80, "已补正"),
]
TITLE = "资格审查队列"
SUBTITLE = "筛选：状态=资格审查中；单位=焦作市人民医院"


def _load(data: bytes):
    return load_workbook(BytesIO(data))


def _export(rows=ROWS, **kwargs):
    return _load(
        workbook_bytes(
            [("资格审查", COLUMNS, rows)], title=TITLE, subtitle=SUBTITLE, **kwargs
        )
    )


def test_workbook_bytes_title_subtitle_and_header_rows():
    ws = _export().active

    assert ws.title == "资格审查"
    assert ws["A1"].value == TITLE
    assert ws["A1"].font.b is True
    assert ws["A2"].value == SUBTITLE
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:F1", "A2:F2"]
    assert [c.value for c in ws[3]] == [c.title for c in COLUMNS]
    assert all(c.font.b for c in ws[3])


def test_workbook_bytes_values_and_types():
    ws = _export().active

    name, count, day, moment, fee, note = ws[4]
    assert (name.value, name.data_type) == ("张三", "s")
    assert (count.value, count.data_type) == (3, "n")
    assert day.is_date
    assert day.value == datetime(2025, 6, 1)
    assert day.number_format == "yyyy-mm-dd"
    # Aware datetimes are shown in Beijing time, naive in the cell.
    assert moment.is_date
    assert moment.value == datetime(2025, 6, 1, 10, 30)
    assert moment.number_format == "yyyy-mm-dd hh:mm"
    assert fee.value == 120.5
    assert fee.number_format == "0.00"
    assert note.value is None
    assert [c.value for c in ws[5]] == ["李四", 0, None, None, 80, "已补正"]
    assert ws[5][4].number_format == "0.00"
    assert ws.max_row == 5


def test_workbook_bytes_datetime_in_date_column_uses_local_date():
    late_evening_utc = datetime(2025, 6, 1, 17, 0, tzinfo=UTC)  # 01:00 on 2 June
    rows = [("张三", 1, late_evening_utc, None, None, None)]

    ws = _export(rows).active

    assert ws["C4"].value == datetime(2025, 6, 2)
    assert ws["C4"].number_format == "yyyy-mm-dd"


def test_workbook_bytes_freeze_pane_and_autofilter_cover_the_table():
    ws = _export().active

    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:F5"
    assert ws.print_title_rows == "$3:$3"


def test_workbook_bytes_without_title_starts_with_the_header():
    data = workbook_bytes([("表", COLUMNS[:2], [("王五", 1)])])
    ws = _load(data).active

    assert [c.value for c in ws[1]] == ["姓名", "申报人数"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B2"
    assert ws.merged_cells.ranges == set()


def test_workbook_bytes_empty_table_keeps_header_and_filter():
    ws = _export(rows=[]).active

    assert ws.max_row == 3
    assert ws.auto_filter.ref == "A3:F3"


def test_workbook_bytes_column_widths_fit_chinese_headers():
    columns = [Column("姓名", 10), Column("所在单位及主管部门名称", 8)]
    ws = _load(workbook_bytes([("表", columns, [])])).active

    assert ws.column_dimensions["A"].width == 10
    # 11 Chinese characters are 22 half-width characters, plus padding.
    assert ws.column_dimensions["B"].width == 24


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://evil.example/","点此")',
        "+86 138",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=cmd",
    ],
)
def test_workbook_bytes_formula_like_text_is_stored_as_text(text):
    data = workbook_bytes([("表", [Column("备注")], [(text,)])])
    ws = _load(data).active

    cell = ws["A2"]
    assert cell.value == text
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_workbook_bytes_title_and_header_are_injection_safe_too():
    data = workbook_bytes([("表", [Column("=A1")], [])], title="=cmd", subtitle="+1")
    with zipfile.ZipFile(BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()

    assert "<f>" not in sheet_xml
    assert _load(data).active["A1"].value == "=cmd"


def test_workbook_bytes_booleans_and_control_characters():
    rows = [(True, "第一行\x00\x07第二行"), (False, "换行\n保留")]
    ws = _load(workbook_bytes([("表", [Column("通过"), Column("备注")], rows)])).active

    assert [c.value for c in ws[2]] == ["是", "第一行第二行"]
    assert [c.value for c in ws[3]] == ["否", "换行\n保留"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("资格审查", "资格审查"),
        ("2025/06 [汇总]: 人数?*", "2025_06 _汇总__ 人数__"),
        ("a\\b", "a_b"),
        ("'引号'", "引号"),
        ("", "Sheet1"),
        ("工" * 40, "工" * 31),
    ],
)
def test_sanitize_sheet_name(name, expected):
    assert sanitize_sheet_name(name) == expected


def test_workbook_bytes_sanitises_and_deduplicates_sheet_names():
    long_name = "焦作市人民医院" * 6
    sheets = [
        (long_name, [Column("甲")], [("1",)]),
        (long_name, [Column("甲")], [("2",)]),
        ("按状态/统计", [Column("甲")], [("3",)]),
    ]

    wb = _load(workbook_bytes(sheets))

    assert wb.sheetnames == [long_name[:31], long_name[:28] + "(2)", "按状态_统计"]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert [ws["A2"].value for ws in wb.worksheets] == ["1", "2", "3"]


def test_workbook_bytes_rejects_rows_of_the_wrong_length(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rows = [("一", "二"), ("只有一个",)]

    with pytest.raises(ValueError, match="row 3: 1 values for 2 columns"):
        workbook_bytes([("表", [Column("甲"), Column("乙")], rows)])

    # The half-written sheet's temporary file is gone.
    assert list(tmp_path.iterdir()) == []


def test_workbook_bytes_error_in_rows_iterable_propagates(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ("一",)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError, match="database went away"):
        workbook_bytes([("表", [Column("甲")], rows())])
    assert list(tmp_path.iterdir()) == []


def test_workbook_bytes_requires_a_sheet():
    with pytest.raises(ValueError, match="at least one sheet"):
        workbook_bytes([])


def test_workbook_bytes_streams_twenty_thousand_rows():
    def rows():
        for i in range(20_000):
            yield (
                f"申报人{i}",
                i,
                date(2025, 6, 1),
                datetime(2025, 6, 1, 8, 0, tzinfo=UTC),
                Decimal("120.00"),
                "=injection" if i % 1000 == 0 else "备注",
            )

    data = workbook_bytes([("全部", COLUMNS, rows())], title=TITLE)

    ws = load_workbook(BytesIO(data), read_only=True).active
    rows_read = list(ws.iter_rows(values_only=True))
    assert len(rows_read) == 20_002
    assert rows_read[1][0] == "姓名"
    assert rows_read[-1][:2] == ("申报人19999", 19_999)
    assert rows_read[-1][2] == datetime(2025, 6, 1)
    assert rows_read[-1][3] == datetime(2025, 6, 1, 16, 0)
    assert rows_read[2][5] == "=injection"


def test_xlsx_response_chinese_filename():
    response = xlsx_response(b"PK-data", "资格审查队列-2025-06-01.xlsx")

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response.content == b"PK-data"
    assert response["Content-Length"] == "7"
    assert response["Cache-Control"] == "private, no-store"
    disposition = response["Content-Disposition"]
    assert disposition == (
        'attachment; filename="export_2025-06-01.xlsx"; '
        "filename*=UTF-8''%E8%B5%84%E6%A0%BC%E5%AE%A1%E6%9F%A5%E9%98%9F%E5%88%97"
        "-2025-06-01.xlsx"
    )
    assert disposition.isascii()
    assert unquote(disposition.split("''", 1)[1]) == "资格审查队列-2025-06-01.xlsx"


def test_xlsx_response_ascii_filename_and_missing_extension():
    response = xlsx_response(b"", 'queue "A"\r\n')

    assert response["Content-Disposition"] == (
        "attachment; filename=\"queue_A.xlsx\"; filename*=UTF-8''queue%20%22A%22.xlsx"
    )


def test_xlsx_response_mixed_filename_keeps_ascii_part():
    response = xlsx_response(b"", "review-queue资格审查.xlsx")

    assert response["Content-Disposition"].startswith(
        'attachment; filename="review-queue.xlsx"; '
    )


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_safe_prefixes_formula_like_text(text):
    assert csv_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["", "电工", "1-2", "a=b", "'quoted"])
def test_csv_safe_leaves_other_text(text):
    assert csv_safe(text) == text

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkao.campaigns import catalogue
from gongkao.campaigns.catalogue import (
    COLUMNS,
    MAX_IMPORT_ROWS,
    export_job_types,
    import_job_types,
    load_starter_catalogue,
)
from gongkao.campaigns.models import JobType
from gongkao.core.models import AuditEvent, BackgroundJob

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _csv(*lines: str) -> bytes:
    return ("\n".join([",".join(COLUMNS), *lines]) + "\n").encode("utf-8")


def test_starter_catalogue_contains_the_common_job_types(db):
    load_starter_catalogue()
    names = set(JobType.objects.values_list("name", flat=True))
    for name in [
        "汽车驾驶员",
        "电工",
        "中式烹调师",
        "保育员",
        "护理员",
        "绿化工",
        "办公设备维修工",
        "保管工",
        "农艺工",
        "图书资料员",
        "公路养护工",
        "印刷工",
        "收银员",
        "档案管理员",
        "水生产处理工",
    ]:
        assert name in names
    assert not JobType.objects.filter(is_starter=False).exists()


def test_starter_catalogue_not_loaded_over_an_existing_catalogue(db):
    JobType.objects.create(code="X1", name="自定义工种", category="其他", levels=[5])
    load_starter_catalogue()
    assert JobType.objects.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_roundtrip(db, fmt):
    load_starter_catalogue()
    before = list(JobType.objects.values_list("code", "name", "category", "levels"))
    data = export_job_types(fmt)
    report = import_job_types(data, f"catalogue.{fmt}", retire_starter=False)
    assert report.ok, report.errors
    assert report.updated == len(before) and report.created == 0
    assert (
        list(JobType.objects.values_list("code", "name", "category", "levels"))
        == before
    )


def test_export_csv_has_bom_for_excel(db):
    load_starter_catalogue()
    assert export_job_types("csv").startswith("\ufeff工种代码".encode())


def test_import_xlsx_with_chinese_levels_and_dates(db):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(
        ["T001", "电梯安装维修工", "设备维修类", "三级、四级、五级", "2024-01-01", None]
    )
    buf = io.BytesIO()
    wb.save(buf)
    report = import_job_types(buf.getvalue(), "new.xlsx")
    assert report.ok, report.errors
    jt = JobType.objects.get(code="T001")
    assert jt.levels == [3, 4, 5]
    assert str(jt.valid_from) == "2024-01-01"


def test_import_reports_every_bad_row_and_saves_nothing(db):
    data = _csv(
        'T001,电工甲,电力电气类,"1,2,3",,',
        'T002,,电力电气类,"1,2",,',
        'T003,电工丙,电力电气类,"6",,',
        'T001,电工丁,电力电气类,"5",,',
        'T005,电工戊,电力电气类,"5",2025-13-01,',
    )
    report = import_job_types(data, "bad.csv")
    assert not report.ok
    assert report.errors == [
        "第3行：工种名称为空。",
        "第4行：可考核等级“6”应为1至5级，如 1,2,3,4,5。",
        "第5行：工种代码与第2行重复。",
        "第6行：日期应为 YYYY-MM-DD 格式。",
    ]
    assert JobType.objects.count() == 0


def test_import_wrong_header_is_explained(db):
    report = import_job_types("代码,名称\nA,B\n".encode(), "x.csv")
    assert report.errors[0].startswith("第1行应为表头")


def test_import_gbk_csv_from_excel(db):
    report = import_job_types(
        _csv("T001,电工,电力电气类,5,,").decode().encode("gb18030"), "x.csv"
    )
    assert report.ok, report.errors


def test_import_broken_xlsx_is_explained(db):
    report = import_job_types(b"not a zip file", "x.xlsx")
    assert "无法读取" in report.errors[0]


def test_import_retires_starter_entries_missing_from_the_official_file(db):
    load_starter_catalogue()
    starter = JobType.objects.count()
    report = import_job_types(
        _csv('S0201,电工,电力电气类,"1,2,3,4,5",,'), "official.csv"
    )
    assert report.ok
    assert report.retired == starter - 1
    electrician = JobType.objects.get(code="S0201")
    assert not electrician.is_starter and electrician.valid_until is None


def test_import_view_for_office_admin_writes_audit(
    client, office_admin, starter_catalogue
):
    user = office_admin
    client.force_login(user, backend=BACKEND)
    upload = SimpleUploadedFile(
        "official.csv", _csv('S0201,电工,电力电气类,"1,2,3,4,5",,')
    )
    response = client.post(
        reverse("campaigns:job_types_import"), {"file": upload, "retire_starter": "on"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.CATALOGUE_IMPORTED)
    assert event.actor_id == user.pk


def test_import_view_shows_errors_and_keeps_catalogue(
    client, office_admin, starter_catalogue
):
    client.force_login(office_admin, backend=BACKEND)
    count = JobType.objects.count()
    upload = SimpleUploadedFile("bad.csv", _csv("S0201,,电力电气类,5,,"))
    response = client.post(reverse("campaigns:job_types_import"), {"file": upload})
    assert response.status_code == 200
    assert "第2行：工种名称为空" in response.content.decode()
    assert JobType.objects.count() == count


def test_import_view_rejects_other_file_types(client, office_admin):
    client.force_login(office_admin, backend=BACKEND)
    upload = SimpleUploadedFile("catalogue.pdf", b"%PDF-1.4")
    response = client.post(reverse("campaigns:job_types_import"), {"file": upload})
    assert "只支持 .xlsx 或 .csv 文件" in response.content.decode()


def test_import_view_forbidden_for_unit_clerk(client, clerk):
    client.force_login(clerk, backend=BACKEND)
    assert client.get(reverse("campaigns:job_types_import")).status_code == 403


def test_job_type_list_search_and_htmx_partial(client, system_admin, starter_catalogue):
    client.force_login(system_admin, backend=BACKEND)
    response = client.get(reverse("campaigns:job_types"), {"q": "电工"})
    body = response.content.decode()
    assert "入门目录" in body and "<html" in body and "电工" in body
    response = client.get(
        reverse("campaigns:job_types"), {"q": "烹调"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body and "中式烹调师" in body and "电工" not in body


def _exported_file(client, fmt, capture_on_commit):
    """Start the export job (it runs in the request: immediate backend) and download it."""
    with capture_on_commit(execute=True):
        client.post(reverse("campaigns:job_types_export", args=[fmt]))
    job = BackgroundJob.objects.get()
    response = client.get(reverse("core:job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    response.close()
    return response, content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_view(
    client, system_admin, starter_catalogue, fmt, django_capture_on_commit_callbacks
):
    client.force_login(system_admin, backend=BACKEND)
    response, content = _exported_file(client, fmt, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "xlsx":
        ws = load_workbook(io.BytesIO(content)).active
        assert [c.value for c in ws[1]] == COLUMNS


def test_export_view_unknown_format_404(client, system_admin):
    client.force_login(system_admin, backend=BACKEND)
    assert (
        client.get(reverse("campaigns:job_types_export", args=["pdf"])).status_code
        == 404
    )


FORMULA_NAMES = ["=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@SUM(A1)"]


def _formula_catalogue() -> None:
    for number, name in enumerate(FORMULA_NAMES, start=1):
        JobType.objects.create(
            code=f"F{number:03}", name=name, category="=HYPERLINK()", levels=[1]
        )


def test_export_csv_escapes_formula_like_cells_and_imports_back(db):
    _formula_catalogue()
    data = export_job_types("csv")
    text = data.decode("utf-8-sig")
    for name in FORMULA_NAMES:
        assert f"'{name}" in text or f'"\'{name}"' in text
    lines = text.splitlines()[1:]
    assert all(line.split(",")[1].startswith(("'", "\"'")) for line in lines)

    JobType.objects.all().delete()
    report = import_job_types(data, "back.csv")
    assert report.ok, report.errors
    assert sorted(JobType.objects.values_list("name", flat=True)) == sorted(
        FORMULA_NAMES
    )
    assert set(JobType.objects.values_list("category", flat=True)) == {"=HYPERLINK()"}


def test_export_xlsx_stores_formula_like_cells_as_text(db):
    _formula_catalogue()
    sheet = load_workbook(io.BytesIO(export_job_types("xlsx"))).active
    assert sheet is not None
    names = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row[1:3]:
            assert cell.data_type == "s"
            assert cell.quotePrefix is True
        names.append(row[1].value)
    assert sorted(names) == sorted(FORMULA_NAMES)


def test_import_refuses_nul_and_over_long_values_per_row(db):
    data = _csv(
        'T001,电工\x00甲,电力电气类,"1",,',
        f'T002,{"长" * 100_000},电力电气类,"1",,',
        f'{"9" * 21},电工丙,{"类" * 51},"1",,',
        'T004,电工😀\u202e丁\u202c,电力电气类,"1",,',
    )
    report = import_job_types(data, "bad.csv")
    assert report.errors == [
        "第2行：工种名称含有不允许的控制字符。",
        "第3行：工种名称过长（最多50个字）。",
        "第4行：工种代码过长（最多20个字）；类别过长（最多50个字）。",
    ]
    assert JobType.objects.count() == 0

    report = import_job_types(
        _csv('T004,电工😀\u202e丁\u202c,电力电气类,"1",,'), "ok.csv"
    )
    assert report.ok, report.errors
    assert JobType.objects.get(code="T004").name == "电工😀\u202e丁\u202c"


def test_import_refuses_a_csv_field_over_the_csv_module_limit(db):
    report = import_job_types(_csv(f'T001,"{"x" * 200_000}",类,"1",,'), "big.csv")
    assert report.errors == ["CSV 文件格式有误（某个单元格过长或引号不匹配）。"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_over_50000_rows_is_refused_quickly(db, fmt):
    rows = [["T", "名", "类", "1", "", ""]] * (MAX_IMPORT_ROWS + 1)
    if fmt == "csv":
        data = _csv(*(",".join(row) for row in rows))
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(COLUMNS)
        for row in rows:
            ws.append(row)
        buf = io.BytesIO()
        wb.save(buf)
        data = buf.getvalue()

    start = time.perf_counter()
    report = import_job_types(data, f"huge.{fmt}")
    seconds = time.perf_counter() - start

    assert report.errors == [
        "文件行数过多：一次最多导入50000行工种，请拆分后分批导入。"
    ]
    assert seconds < 1.0
    assert JobType.objects.count() == 0


def test_import_of_exactly_50000_rows_is_read():
    table = catalogue._bounded([["x"]] * (MAX_IMPORT_ROWS + 1))
    assert len(table) == MAX_IMPORT_ROWS + 1


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_xlsx_row_count_at_the_limit_across_chunk_boundaries(monkeypatch, chunk):
    monkeypatch.setattr(catalogue, "_SCAN_CHUNK", chunk)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for number in range(10):
        ws.append([f"T{number}", "名"])
    buf = io.BytesIO()
    wb.save(buf)

    assert catalogue._xlsx_rows_exceed(buf.getvalue(), 10) is False
    assert catalogue._xlsx_rows_exceed(buf.getvalue(), 9) is True
    assert catalogue._xlsx_rows_exceed(b"not a zip", 1) is False

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkao.campaigns.catalogue import (
    COLUMNS,
    export_job_types,
    import_job_types,
    load_starter_catalogue,
)
from gongkao.campaigns.models import JobType
from gongkao.core.models import AuditEvent, BackgroundJob

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def starter_catalogue(db):
    """The job types shipped with the system, as a fresh installation has them."""
    load_starter_catalogue()


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

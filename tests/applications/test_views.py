from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkao.accounts.models import Role, User
from gongkao.applications import services
from gongkao.applications.models import Application, MaterialFile
from gongkao.applications.states import Status
from tests.factories import (
    PDF,
    ApplicantFactory,
    assignment_of,
    fill_level4_application,
    jpeg,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _login(client, user: User) -> None:
    client.force_login(user, backend=BACKEND)


@pytest.mark.parametrize(
    "name",
    [
        "overview",
        "basic",
        "certificates",
        "annual_reviews",
        "honors",
        "application",
        "materials",
        "check",
        "status",
        "notifications",
    ],
)
def test_applicant_pages_render(client, applicant, school, in_window, name):
    fill_level4_application(applicant, unit=school)
    _login(client, applicant)
    response = client.get(reverse(f"applications:{name}"))
    assert response.status_code == 200


def test_basic_form_errors_keep_what_was_typed(client, applicant, campaign, in_window):
    _login(client, applicant)
    response = client.post(
        reverse("applications:basic"),
        {
            "employment": "formal",
            "work_start_date": "2030-01-01",
            "education": "high_school",
            "retirement_group": "male_60",
            "declare": "on",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请选择工作单位" in body or "这个字段是必填项" in body
    assert "日期不能晚于今天" in body
    assert 'value="2030-01-01"' in body


def test_self_check_shows_clause_lines(client, ready_application, applicant):
    _login(client, applicant)
    body = client.get(reverse("applications:check")).content.decode()
    assert "按您填写的信息，符合申报条件" in body
    assert "2.2.2" in body


def test_submit_through_the_page_then_status(client, ready_application, applicant):
    _login(client, applicant)
    response = client.post(reverse("applications:check"), {"pledge": "on"})
    assert response.status_code == 302
    assert Application.objects.get(pk=ready_application.pk).status == Status.UNIT_REVIEW
    body = client.get(reverse("applications:status")).content.decode()
    assert "单位审核中" in body and "焦作市第一中学（单位审核）" in body


def test_submit_without_pledge_is_refused_with_reason(
    client, ready_application, applicant
):
    _login(client, applicant)
    response = client.post(reverse("applications:check"), {})
    assert response.status_code == 200
    assert "请阅读并勾选真实性承诺" in response.content.decode()
    assert Application.objects.get(pk=ready_application.pk).status == Status.DRAFT


def test_a_refused_submission_keeps_the_ticked_pledge(
    client, ready_application, applicant
):
    # Something else is missing (the policy acknowledgement): the refusal
    # lists it, and the pledge ticked with it is not lost.
    Application.objects.filter(pk=ready_application.pk).update(ack_policy_at=None)
    _login(client, applicant)
    response = client.post(reverse("applications:check"), {"pledge": "on"})
    assert response.status_code == 200
    assert "请确认已了解岗位聘用有关政策" in response.content.decode()
    refused = Application.objects.get(pk=ready_application.pk)
    assert refused.status == Status.DRAFT and refused.pledged_at is not None


def test_the_submission_saves_the_pledge_with_it(client, ready_application, applicant):
    Application.objects.filter(pk=ready_application.pk).update(pledged_at=None)
    _login(client, applicant)
    response = client.post(reverse("applications:check"), {"pledge": "on"})
    assert response.status_code == 302
    submitted = Application.objects.get(pk=ready_application.pk)
    assert submitted.status == Status.UNIT_REVIEW
    assert submitted.pledged_at is not None
    assert submitted.snapshot["submitted_on"]


def test_upload_through_the_page_and_broken_file_message(
    client, applicant, school, in_window
):
    fill_level4_application(applicant, unit=school)
    _login(client, applicant)
    url = reverse("applications:upload", args=["id_card"])
    client.post(url, {"id_card-file": SimpleUploadedFile("id.pdf", PDF)})
    response = client.post(
        url, {"id_card-file": SimpleUploadedFile("id.jpg", b"GIF89a....")}, follow=True
    )
    assert "上传未成功" in response.content.decode()
    assert "原来的文件仍然保留" in response.content.decode()
    assert MaterialFile.objects.filter(material__slot="id_card").count() == 1


def test_photo_too_small_is_explained(client, applicant, school, in_window):
    fill_level4_application(applicant, unit=school)
    _login(client, applicant)
    response = client.post(
        reverse("applications:upload", args=["photo"]),
        {"photo-file": SimpleUploadedFile("p.jpg", jpeg(100, 140))},
        follow=True,
    )
    assert "至少需要295×413像素" in response.content.decode()


def test_owner_can_open_own_file(client, ready_application, applicant):
    _login(client, applicant)
    stored = MaterialFile.objects.filter(
        material__application=ready_application
    ).first()
    response = client.get(reverse("applications:file", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored.file.open("rb").read()
    stored.file.close()
    assert response["Content-Type"] in ("application/pdf", "image/jpeg", "image/png")
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))


def test_another_applicant_gets_404_for_file_and_cannot_see_application(
    client, ready_application
):
    other = ApplicantFactory(username="other")
    _login(client, other)
    stored = MaterialFile.objects.filter(
        material__application=ready_application
    ).first()
    assert client.get(reverse("applications:file", args=[stored.pk])).status_code == 404
    # Their own pages show their own (new, empty) application, never the other one.
    body = client.get(reverse("applications:status")).content.decode()
    assert "电工" not in body


def test_reviewers_cannot_open_files_of_a_draft(client, ready_application, clerk):
    _login(client, clerk)
    stored = MaterialFile.objects.filter(
        material__application=ready_application
    ).first()
    assert client.get(reverse("applications:file", args=[stored.pk])).status_code == 404


def test_applicant_sees_reason_at_the_item(client, ready_application, applicant, clerk):
    services.submit_application(ready_application, by=applicant)
    services.return_application(
        ready_application,
        by=clerk,
        reasons=[
            {
                "item": "material:photo",
                "code": "photo",
                "text": "照片不清晰，请重新上传",
            }
        ],
    )
    _login(client, applicant)
    body = client.get(reverse("applications:materials")).content.decode()
    assert "照片不清晰，请重新上传" in body
    assert (
        body.count("重新上传</label>") == 1
    )  # only the returned slot offers an upload


def test_office_extension_page_scoped_to_jurisdiction(
    client, applicant, school, county_admin, office_admin, in_window
):
    application = fill_level4_application(applicant, unit=school)
    # 温县: not 焦作市第一中学's office
    assignment = assignment_of(county_admin, Role.OFFICE_ADMIN)
    _login(client, county_admin)
    url = reverse("review:office_extensions", args=[assignment.pk])
    assert "张建国" not in client.get(url).content.decode()
    response = client.post(
        url,
        {"application": application.pk, "until": "2025-04-05", "reason": "住院"},
        follow=True,
    )
    assert "不在本机构辖区" in response.content.decode()
    city_assignment = assignment_of(office_admin, Role.OFFICE_ADMIN)
    _login(client, office_admin)
    url = reverse("review:office_extensions", args=[city_assignment.pk])
    client.post(
        url, {"application": application.pk, "until": "2025-04-05", "reason": "住院"}
    )
    application.refresh_from_db()
    assert (str(application.extended_until), application.extension_reason) == (
        "2025-04-05",
        "住院",
    )

"""Issue 11, point 8: appeals (复核). An applicant found not qualified asks
within the campaign's working days, with a reason and new material; the office
answers within its own; both are on the application, audited; 404 for
everyone else."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkao.applications import services
from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent, Notification
from gongkao.review import appeals
from gongkao.review.models import Appeal, AppealSettings
from tests.factories import PDF, assignment_of

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def refused(submitted, clerk):
    """张建国's application found not qualified on Thursday 2025-03-20."""
    services.transition(submitted, Status.NOT_QUALIFIED, by=clerk, note="不符合条件")
    submitted.refresh_from_db()
    return submitted


def test_the_appeal_period_counts_the_campaigns_working_days(refused):
    # Thursday 3/20 + 5 working days = Thursday 3/27 (the weekend skipped).
    assert appeals.appeal_deadline(refused) == date(2025, 3, 27)
    AppealSettings.objects.create(
        campaign=refused.campaign, appeal_working_days=2, answer_working_days=3
    )
    assert appeals.appeal_deadline(refused) == date(2025, 3, 24)


def test_applicant_appeals_with_reason_and_material(client, refused, applicant):
    client.force_login(applicant, backend=BACKEND)
    url = reverse("review:appeal")
    assert "填写复核申请" in client.get(url).content.decode()
    response = client.post(
        url,
        {"reason": "我的证书是2015年取得的", "file": SimpleUploadedFile("x.pdf", PDF)},
        follow=True,
    )
    assert "复核申请已提交" in response.content.decode()
    appeal = Appeal.objects.get(application=refused)
    assert appeal.reason == "我的证书是2015年取得的"
    assert appeal.file and appeal.file_content_type == "application/pdf"
    # 3/20 + 10 working days = 4/3 (Thursday).
    assert appeal.answer_due == date(2025, 4, 3)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.APPEAL_FILED).count() == 1
    assert "工考办将在2025年4月3日前答复" in client.get(url).content.decode()
    document = client.get(reverse("review:appeal_file", args=[appeal.pk]))
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == PDF
    document.close()


def test_one_appeal_only_and_not_after_the_period(refused, applicant):
    appeals.file_appeal(refused, reason="理由", data=None, by=applicant)
    with pytest.raises(appeals.AppealRefused, match="已经申请过"):
        appeals.file_appeal(refused, reason="再来", data=None, by=applicant)


def test_too_late_is_refused(refused, applicant):
    with (
        time_machine.travel("2025-03-28 09:00 +0800", tick=False),
        pytest.raises(appeals.AppealRefused, match="期限（2025年3月27日）已过"),
    ):
        appeals.file_appeal(refused, reason="理由", data=None, by=applicant)
    assert not Appeal.objects.exists()


def test_only_a_not_qualified_application_can_be_appealed(submitted, applicant):
    with pytest.raises(appeals.AppealRefused, match="只有资格审查不通过"):
        appeals.file_appeal(submitted, reason="理由", data=None, by=applicant)


@pytest.mark.parametrize("reason", ["", "a\x00b", "字" * 1001])
def test_bad_reason_is_refused_in_chinese(client, refused, applicant, reason):
    client.force_login(applicant, backend=BACKEND)
    response = client.post(reverse("review:appeal"), {"reason": reason})
    assert response.status_code == 200
    assert "error-text" in response.content.decode()
    assert not Appeal.objects.exists()


def test_office_answers_and_overturning_reopens_the_review(
    client,
    refused,
    applicant,
    office_reviewer,
    sms_outbox,
    django_capture_on_commit_callbacks,
):
    appeal = appeals.file_appeal(refused, reason="理由", data=None, by=applicant)
    assignment = assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    url = reverse("review:appeals", args=[assignment.pk])
    assert "张建国" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "appeal": appeal.pk,
                "decision": "overturned",
                "answer": "证书日期核实无误",
            },
            follow=True,
        )
    assert "已答复" in response.content.decode()
    appeal.refresh_from_db()
    refused.refresh_from_db()
    assert (appeal.decision, appeal.answered_by) == ("overturned", office_reviewer)
    assert refused.status == Status.QUALIFICATION_REVIEW
    assert Notification.objects.filter(user=applicant, title="复核结果").exists()
    assert any("证书日期核实无误" in m for _, m in sms_outbox)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.APPEAL_ANSWERED).exists()
    with pytest.raises(appeals.AppealRefused, match="已经答复"):
        appeals.answer_appeal(appeal, decision="upheld", answer="x", by=office_reviewer)


def test_upholding_keeps_the_conclusion(refused, applicant, office_reviewer):
    appeal = appeals.file_appeal(refused, reason="理由", data=None, by=applicant)
    appeals.answer_appeal(appeal, decision="upheld", answer="维持", by=office_reviewer)
    refused.refresh_from_db()
    assert refused.status == Status.NOT_QUALIFIED


def test_an_answer_needs_a_decision_and_text(client, refused, applicant, office_admin):
    appeal = appeals.file_appeal(refused, reason="理由", data=None, by=applicant)
    client.force_login(office_admin, backend=BACKEND)
    url = reverse("review:appeals", args=[assignment_of(office_admin).pk])
    response = client.post(
        url, {"appeal": appeal.pk, "decision": "", "answer": ""}, follow=True
    )
    assert "请选择复核结论" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.answered_at is None


@pytest.mark.parametrize(
    "persona", ["clerk", "department_reviewer", "county_reviewer", "county_admin"]
)
def test_every_other_role_gets_404(client, refused, applicant, persona, request):
    appeal = appeals.file_appeal(
        refused, reason="理由", data=PDF, filename="x.pdf", by=applicant
    )
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=BACKEND)
    assignment = assignment_of(user)
    assert client.get(
        reverse("review:appeals", args=[assignment.pk])
    ).status_code == 404 or (
        "张建国"
        not in client.get(
            reverse("review:appeals", args=[assignment.pk])
        ).content.decode()
    )
    response = client.post(
        reverse("review:appeals", args=[assignment.pk]),
        {"appeal": appeal.pk, "decision": "upheld", "answer": "x"},
    )
    assert response.status_code == 404
    assert (
        client.get(reverse("review:appeal_file", args=[appeal.pk])).status_code == 404
    )
    assert client.get(reverse("review:appeal")).status_code == 404
    appeal.refresh_from_db()
    assert appeal.answered_at is None


def test_another_applicant_cannot_see_or_file(client, refused, applicant):
    from tests.factories import ApplicantFactory

    other = ApplicantFactory.create(name="李四")
    appeal = appeals.file_appeal(
        refused, reason="理由", data=PDF, filename="x.pdf", by=applicant
    )
    client.force_login(other, backend=BACKEND)
    assert (
        client.get(reverse("review:appeal_file", args=[appeal.pk])).status_code == 404
    )
    assert client.get(reverse("review:appeal")).status_code == 404
    with pytest.raises(appeals.AppealRefused, match="本人"):
        appeals.file_appeal(refused, reason="理由", data=None, by=other)

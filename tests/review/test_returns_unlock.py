"""A reviewer returns named items; the applicant's fix or explanation is
shown to the next reviewer next to each returned item (issue 11, point 2)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gongkao.applications import permissions, services
from gongkao.applications.models import Application, Honor
from gongkao.applications.queries import open_returned_items
from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent
from gongkao.review import services as review
from gongkao.review.models import ReviewStep
from tests.factories import (
    PDF,
    ApplicantFactory,
    assignment_of,
    fill_level2_application,
    resubmit_unchanged,
    submitted_application,
    upload_all,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def level2(applicant, school, campaign, in_window) -> Application:
    application = fill_level2_application(applicant, unit=school, campaign=campaign)
    upload_all(application, applicant)
    assert services.submit_application(application, by=applicant)
    application.refresh_from_db()
    return application


def _return_performance(application: Application, clerk) -> None:
    checks = review.approve_all_items(application, ReviewStep.UNIT)
    assert "clause:2.2.4.3" in checks
    checks["clause:2.2.4.3"] = {"ok": False, "code": "", "text": "业绩材料不足"}
    review.record_review(application, step=ReviewStep.UNIT, by=clerk, checks=checks)
    application.refresh_from_db()


def test_a_returned_clause_unlocks_what_proves_it_and_is_audited(level2, clerk):
    _return_performance(level2, clerk)
    assert level2.status == Status.RETURNED
    assert "honors" in level2.return_items
    assert "material:performance" in level2.return_items
    with pytest.raises(permissions.NotEditable):
        permissions.check_editable(level2, "basic")
    change = level2.status_changes.get(to_status=Status.RETURNED)
    assert change.reasons[0]["item"] == "clause:2.2.4.3"
    assert change.reasons[0]["label"].startswith("2.2.4.3 工作表现和业绩突出")
    [row] = AuditEvent.objects.filter(
        action=AuditEvent.Action.REVIEW_DECIDED, target_id=str(level2.pk)
    )
    assert row.after["returned"] == ["clause:2.2.4.3"]
    assert row.after["unlocked"] == level2.return_items


def test_the_next_reviewer_sees_the_change_next_to_the_returned_item(
    client, level2, applicant, clerk
):
    _return_performance(level2, clerk)
    honor = Honor(
        kind="competition",
        level="city",
        title="焦作市职业技能竞赛二等奖",
        issuer="焦作市人力资源和社会保障局",
        date=date(2023, 10, 1),
        rank=2,
    )
    services.add_profile_item(level2, honor, "honors")
    services.upload_material(level2, f"honor:{honor.pk}", PDF, "h.pdf", by=applicant)
    services.upload_material(level2, "performance", PDF, "p.pdf", by=applicant)
    assert services.submit_application(level2, by=applicant)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment_of(clerk).pk, level2.pk])
    page = client.get(url).content.decode()
    assert "上次退回事项的修改情况" in page
    assert "业绩材料不足" in page
    assert "已修改" in page and "荣誉和专利、工作业绩材料" in page
    # Beside the item in the checklist too.
    assert "上次退回：" in page


def test_the_next_reviewer_sees_the_explanation(client, submitted, applicant, clerk):
    services.return_application(
        submitted,
        by=clerk,
        reasons=[{"item": "material:photo", "code": "photo", "text": "照片太暗"}],
    )
    assert resubmit_unchanged(submitted, "照片为近期白底证件照，已核对")
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment_of(clerk).pk, submitted.pk])
    page = client.get(url).content.decode()
    assert "未修改" in page and "照片为近期白底证件照，已核对" in page


def test_a_returned_item_of_another_unit_is_a_404(client, clerk, in_window):
    """The answers are read only through the scoped review page."""
    foreign = submitted_application(ApplicantFactory())
    services.return_application(
        foreign,
        by=clerk,
        reasons=[{"item": "basic", "code": "", "text": "请核对"}],
    )
    assert open_returned_items(foreign)
    assert resubmit_unchanged(foreign)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment_of(clerk).pk, foreign.pk])
    assert client.get(url).status_code == 404

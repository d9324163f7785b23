"""Bad input gets a Chinese message and no 500; scoping and deadlines hold at
their edges (found in review)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import permissions, services
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.review import batches
from gongkao.review import services as review
from gongkao.review.models import Batch, FeePayment, ReviewStep
from tests.factories import (
    PDF,
    ApplicantFactory,
    UnitFactory,
    UserFactory,
    advance,
    advance_batch,
    approve,
    fill_deferred_level1,
    fill_level4_application,
    make_id_number,
    upload_all,
)
from tests.review.test_review_chain import _staff, _to_onsite

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _onsite_page(client, application, reviewers):
    batch = Batch.objects.get(unit=application.unit)
    advance_batch(batch, Batch.State.DEPARTMENT_STAMPED, reviewers)
    office, assignment = _staff(reviewers.office)
    client.force_login(office, backend=BACKEND)
    return reverse("review:onsite", args=[assignment.pk, batch.pk, application.pk])


@pytest.mark.parametrize("amount", ["abc", "NaN", "1e9", "-5", ""])
def test_bad_fee_amount_is_explained_and_not_saved(
    client, submitted, reviewers, amount
):
    url = _onsite_page(client, _to_onsite(submitted, reviewers), reviewers)
    response = client.post(
        url,
        {"action": "fee", "amount": amount, "method": "cash", "receipt_number": "R1"},
        follow=True,
    )
    assert response.status_code == 200
    assert not FeePayment.objects.exists()
    assert (
        "错误" not in response.content.decode() or "金额" in response.content.decode()
    )


def test_bad_fee_method_and_custody_id_do_not_500(client, submitted, reviewers):
    url = _onsite_page(client, _to_onsite(submitted, reviewers), reviewers)
    assert (
        client.post(
            url,
            {"action": "fee", "amount": "1", "method": "bogus", "receipt_number": "R"},
            follow=True,
        ).status_code
        == 200
    )
    assert not FeePayment.objects.exists()
    response = client.post(
        url,
        {"action": "original_out", "custody": "abc", "returned_to": "张三"},
        follow=True,
    )
    assert response.status_code == 200
    assert "请填写原件退还给谁" in response.content.decode()


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "abc", "-1"])
def test_queue_filters_ignore_bad_numbers(client, submitted, office_reviewer, value):
    office, assignment = _staff(office_reviewer)
    client.force_login(office, backend=BACKEND)
    url = reverse("review:queue", args=[assignment.pk])
    assert (
        client.get(
            url, {"unit": value, "division": value, "job_type": value}
        ).status_code
        == 200
    )
    response = client.post(
        reverse("review:bulk", args=[assignment.pk]),
        {"ids": [value], "action": "approve"},
    )
    assert response.status_code == 302


def test_clerk_never_reviews_own_application(client, school, clerk, in_window):
    clerk, assignment = _staff(clerk)
    clerk.set_id_number(make_id_number("19800101"))
    clerk.save()
    RoleAssignment.objects.create(user=clerk, role=Role.APPLICANT)
    application = fill_level4_application(clerk, unit=school)
    upload_all(application, clerk)
    services.submit_application(application, by=clerk)
    client.force_login(clerk, backend=BACKEND)
    url = reverse("review:review", args=[assignment.pk, application.pk])
    assert client.get(url).status_code == 404
    with pytest.raises(review.AlreadyHandled, match="不能审核本人的申报"):
        approve(application, ReviewStep.UNIT, clerk)


def test_new_submission_reopens_a_completed_batch(submitted, reviewers):
    _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=submitted.unit)
    assert batch.state == Batch.State.ONLINE_REVIEW_COMPLETE
    user = UserFactory(username="late", name="后来者")
    user.set_id_number(make_id_number("19810101"))
    user.save()
    application = fill_level4_application(user, unit=submitted.unit)
    upload_all(application, user)
    services.submit_application(application, by=user)
    batch.refresh_from_db()
    assert batch.state == Batch.State.OPEN
    with pytest.raises(batches.BatchError):
        batches.complete_onsite_check(batch, by=user, fee_total=0)


def test_a_submission_moves_the_batch_without_counting_the_unit(submitted):
    """On deadline day a unit of thousands takes submissions one after
    another: the hook reads the batch, never the unit's applications."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as ctx:
        batches.follow_submission(submitted, submitted.applicant)
    assert not [
        q for q in ctx.captured_queries if "applications_application" in q["sql"]
    ]
    assert Batch.objects.get(unit=submitted.unit).state == Batch.State.OPEN


def test_batch_cannot_close_while_an_original_is_kept(submitted, reviewers):
    from decimal import Decimal

    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    advance_batch(batch, Batch.State.DEPARTMENT_STAMPED, reviewers)
    office = reviewers.office
    review.record_original(
        application, item="证书原件", received_from="刘芳", by=office
    )
    review.record_fee(
        application, amount=Decimal("0"), method="cash", receipt_number="R", by=office
    )
    seen = [
        i.key
        for i in review.review_items(application, ReviewStep.ONSITE)
        if i.kind == "material"
    ]
    review.conclude_onsite(application, by=office, originals_seen=seen, qualified=True)
    batch.refresh_from_db()
    assert batch.state == Batch.State.ONSITE_CHECKED
    with pytest.raises(batches.BatchError, match="原件没有退还"):
        batches.complete_onsite_check(batch, by=office, fee_total=Decimal("0"))
    # and the fee can no longer change after the conclusion
    with pytest.raises(review.AlreadyHandled):
        review.record_fee(
            application,
            amount=Decimal("5"),
            method="cash",
            receipt_number="R2",
            by=office,
        )


def test_city_scope_is_for_dashboards_only(client, submitted, county_reviewer):
    office, assignment = _staff(county_reviewer)  # 温县: a county office
    client.force_login(office, backend=BACKEND)
    for name in ("circular", "summary_export"):
        response = client.get(
            reverse(f"review:{name}", args=[assignment.pk]), {"scope": "city"}
        )
        assert "张建国".encode() not in response.content


def test_must_change_password_holds_on_every_page(client, clerk):
    user = clerk
    user.must_change_password = True
    user.save()
    client.force_login(user, backend=BACKEND)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")


def test_staff_get_no_draft_by_visiting_apply_pages(client, clerk, campaign):
    client.force_login(clerk, backend=BACKEND)
    assert client.get(reverse("applications:overview")).status_code == 404
    assert not Application.objects.filter(applicant=clerk).exists()


def test_deferred_upload_rules_after_submission(applicant, school, in_window):
    application = fill_deferred_level1(applicant, unit=school)
    services.submit_application(application, by=applicant)
    application.refresh_from_db()
    services.upload_material(
        application, "annual_review:2024", PDF, "2024.pdf", by=applicant
    )
    with pytest.raises(permissions.NotEditable, match="已经上传"):
        services.upload_material(
            application, "annual_review:2024", PDF, "again.pdf", by=applicant
        )


def test_deferred_upload_refused_after_the_deadline(applicant, school, in_window):
    application = fill_deferred_level1(applicant, unit=school)
    services.submit_application(application, by=applicant)
    with time_machine.travel("2025-07-01 09:00 +0800", tick=False):
        application.refresh_from_db()
        with pytest.raises(permissions.NotEditable, match="已过期限"):
            services.upload_material(
                application, "annual_review:2024", PDF, "late.pdf", by=applicant
            )


def test_office_rejects_a_deferred_upload_after_qualification(
    applicant, school, reviewers, in_window
):
    application = fill_deferred_level1(applicant, unit=school)
    services.submit_application(application, by=applicant)
    advance(application, Status.QUALIFIED, reviewers)
    services.upload_material(
        application, "annual_review:2024", PDF, "2024.pdf", by=applicant
    )
    office = reviewers.office
    review.reject_deferred_material(
        application, by=office, reason="不是组织人事部门备案的结果"
    )
    assert Application.objects.get(pk=application.pk).status == Status.NOT_QUALIFIED


def test_sweep_waits_for_a_return_deadline_after_the_window(submitted, clerk):
    with time_machine.travel("2025-04-10 09:00 +0800", tick=False):
        services.return_application(
            submitted,
            by=clerk,
            reasons=[{"item": "basic", "code": "other", "text": "请核对"}],
        )
    submitted.refresh_from_db()
    assert submitted.resubmit_by == date(2025, 4, 14)
    assert services.sweep_deadlines(date(2025, 4, 12))["closed_returns"] == 0
    assert services.sweep_deadlines(date(2025, 4, 15))["closed_returns"] == 1


def test_bulk_approve_skips_applications_needing_consent(
    applicant, school, clerk, in_window
):
    application = fill_deferred_level1(applicant, unit=school)
    services.submit_application(application, by=applicant)
    outcome = review.bulk_approve([application], step=ReviewStep.UNIT, by=clerk)
    assert outcome.done == [] and "单独审核" in outcome.skipped[0][1]


def test_existing_number_does_not_reveal_its_holder(
    client, applicant, office_admin, jiaozuo
):
    library = UnitFactory(name="焦作市图书馆", city_direct=True)
    admin, assignment = _staff(office_admin)
    client.force_login(admin, backend=BACKEND)
    response = client.post(
        reverse("issue_account", args=[assignment.pk]),
        {
            "unit": library.pk,
            "role": Role.UNIT_CLERK,
            "name": "随便写",
            "phone": applicant.phone,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "已注册为申报人账号" in body and "张建国" not in body
    applicant = find_user_by_phone(applicant.phone)
    assert isinstance(applicant, User)
    assert not RoleAssignment.objects.filter(
        user=applicant, role=Role.UNIT_CLERK
    ).exists()


def test_profile_services_refuse_edits_outside_a_draft_or_return(submitted):
    from gongkao.applications.models import HeldCertificate

    with pytest.raises(permissions.NotEditable):
        services.save_annual_reviews(submitted, {2024: ("excellent", False)})
    with pytest.raises(permissions.NotEditable):
        services.delete_profile_item(
            submitted, HeldCertificate.objects.first(), "certificates"
        )
    with pytest.raises(permissions.NotEditable):
        services.save_application_choices(submitted, {"ack_policy_at": False})
    assert HeldCertificate.objects.count() == 1


def test_delete_of_a_foreign_item_is_404(client, submitted):
    from gongkao.applications.models import HeldCertificate

    other = ApplicantFactory(username="other-applicant")
    client.force_login(other, backend=BACKEND)
    certificate = HeldCertificate.objects.get()
    url = reverse("applications:delete_item", args=["certificate", certificate.pk])
    with time_machine.travel("2025-03-20 10:00 +0800", tick=False):
        assert client.post(url).status_code == 404
    assert HeldCertificate.objects.filter(pk=certificate.pk).exists()

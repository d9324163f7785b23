"""Issue 11, point 5: review that makes the reviewer look. Items start
unticked; a department without a reviewer account is flagged to the office
and the unit; everyone of a batch stays reachable on site after their
conclusion; a refusal to close names whose originals are still held."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from gongkao.applications.states import Status
from gongkao.review import batches
from gongkao.review import services as review
from gongkao.review.models import Batch, ReviewStep
from tests.factories import advance, advance_batch, assignment_of
from tests.review.test_review_chain import _to_onsite

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.mark.parametrize("who", ["clerk", "department", "office"])
def test_review_items_start_unticked(client, submitted, reviewers, who):
    if who != "clerk":
        advance(
            submitted,
            Status.DEPARTMENT_REVIEW
            if who == "department"
            else Status.QUALIFICATION_REVIEW,
            reviewers,
        )
    user = getattr(reviewers, who)
    assignment = assignment_of(user)
    client.force_login(user, backend=BACKEND)
    body = client.get(
        reverse("review:review", args=[assignment.pk, submitted.pk])
    ).content.decode()
    radios = re.findall(r'<input type="radio" name="ok_\d+"[^>]*>', body)
    assert radios, "the review page lists items to decide"
    assert not [r for r in radios if "checked" in r]


def _home(client, user):
    assignment = assignment_of(user)
    client.force_login(user, backend=BACKEND)
    return client.get(reverse("role_home", args=[assignment.pk])).content.decode()


def _queue(client, user):
    assignment = assignment_of(user)
    client.force_login(user, backend=BACKEND)
    return client.get(reverse("review:queue", args=[assignment.pk])).content.decode()


def test_department_without_reviewer_is_flagged_to_office_and_unit(
    client, submitted, clerk, office_reviewer, office_admin
):
    # 焦作市教育局 has no reviewer account: the school's files would stall.
    review.record_review(
        submitted,
        step=ReviewStep.UNIT,
        by=clerk,
        checks=review.approve_all_items(submitted, ReviewStep.UNIT),
    )
    for user in (office_reviewer, office_admin):
        home = _home(client, user)
        assert "以下主管部门还没有审核账号" in home and "焦作市教育局" in home
    queue = _queue(client, office_reviewer)
    assert "焦作市教育局：1份申报在等待" in queue
    clerk_home = _home(client, clerk)
    assert "本单位的主管部门还没有审核账号" in clerk_home
    assert "焦作市教育局" in clerk_home
    assert "焦作市教育局：1份申报在等待" in _queue(client, clerk)


def test_no_flag_once_the_department_has_a_reviewer(
    client, submitted, clerk, office_reviewer, department_reviewer
):
    assert "还没有审核账号" not in _home(client, office_reviewer)
    assert "还没有审核账号" not in _queue(client, office_reviewer)
    assert "还没有审核账号" not in _home(client, clerk)


def test_an_inactive_reviewer_account_counts_as_none(
    client, submitted, clerk, department_reviewer
):
    department_reviewer.is_active = False
    department_reviewer.save()
    assert "本单位的主管部门还没有审核账号" in _home(client, clerk)


def _concluded_with_original_held(submitted, reviewers):
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    advance_batch(batch, Batch.State.DEPARTMENT_STAMPED, reviewers)
    office = reviewers.office
    review.record_original(
        application, item="四级证书原件", received_from="刘芳", by=office
    )
    review.record_fee(
        application, amount=Decimal("0"), method="cash", receipt_number="R1", by=office
    )
    seen = [
        i.key
        for i in review.review_items(application, ReviewStep.ONSITE)
        if i.kind == "material"
    ]
    review.conclude_onsite(application, by=office, originals_seen=seen, qualified=True)
    batch.refresh_from_db()
    return application, batch


def test_refusal_to_close_names_whose_originals_are_held(submitted, reviewers):
    application, batch = _concluded_with_original_held(submitted, reviewers)
    with pytest.raises(batches.BatchError) as refused:
        batches.complete_onsite_check(
            batch, by=reviewers.office, fee_total=Decimal("0")
        )
    assert f"{application.applicant.name}（四级证书原件）" in str(refused.value)


def test_concluded_applicant_stays_reachable_to_return_originals(
    client, submitted, reviewers
):
    application, batch = _concluded_with_original_held(submitted, reviewers)
    assignment = assignment_of(reviewers.office)
    client.force_login(reviewers.office, backend=BACKEND)
    detail = client.get(
        reverse("review:batch", args=[assignment.pk, batch.pk])
    ).content.decode()
    url = reverse("review:onsite", args=[assignment.pk, batch.pk, application.pk])
    assert url in detail and "原件未退还" in detail
    page = client.get(url).content.decode()
    assert "资格审查通过" in page
    assert 'value="conclude"' not in page and 'value="fee"' not in page
    custody = application.originals.get()
    response = client.post(
        url,
        {"action": "original_out", "custody": custody.pk, "returned_to": "刘芳"},
        follow=True,
    )
    assert "已保存" in response.content.decode()
    custody.refresh_from_db()
    assert custody.returned_at is not None
    batches.complete_onsite_check(batch, by=reviewers.office, fee_total=Decimal("0"))
    batch.refresh_from_db()
    assert batch.state == Batch.State.CLOSED


def test_a_conclusion_needs_a_verdict(client, submitted, reviewers):
    application = _to_onsite(submitted, reviewers)
    batch = Batch.objects.get(unit=application.unit)
    advance_batch(batch, Batch.State.DEPARTMENT_STAMPED, reviewers)
    assignment = assignment_of(reviewers.office)
    client.force_login(reviewers.office, backend=BACKEND)
    url = reverse("review:onsite", args=[assignment.pk, batch.pk, application.pk])
    assert 'name="qualified" value="1" checked' not in client.get(url).content.decode()
    response = client.post(url, {"action": "conclude"}, follow=True)
    assert "请选择“审查通过”或“审查不通过”" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.ONSITE_CHECK

"""A database filled before the review chain left `applications` migrates to
the split layout and keeps every row: decisions, batches and their history,
fees, originals, return reasons and the messages (now core.Notification)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from gongkao.applications import services
from gongkao.applications.models import Application
from gongkao.core.models import Notification
from gongkao.review import services as review
from gongkao.review.demo import ensure_return_reasons
from gongkao.review.models import (
    Batch,
    BatchChange,
    FeePayment,
    OriginalCustody,
    ReturnReasonCode,
    Review,
)
from tests.review.test_review_chain import _to_onsite

BEFORE_SPLIT = ("applications", "0003_review_chain")
MOVED = {
    "Review": Review,
    "Batch": Batch,
    "BatchChange": BatchChange,
    "FeePayment": FeePayment,
    "OriginalCustody": OriginalCustody,
    "ReturnReasonCode": ReturnReasonCode,
}


def _old_apps():
    return MigrationExecutor(connection).loader.project_state(BEFORE_SPLIT).apps


@pytest.mark.django_db(transaction=True)
def test_rows_filled_before_the_split_are_all_found_after(
    ready_application, applicant, reviewers
):
    # Transactional tests flush what migrations filled, the return reasons too.
    ensure_return_reasons()
    services.submit_application(ready_application, by=applicant)
    application = _to_onsite(ready_application, reviewers)
    office = reviewers.office
    review.record_original(
        application, item="毕业证书原件", received_from="张建国", by=office
    )
    # A raw row: fees are recorded once the rosters are stamped, not needed here.
    FeePayment.objects.create(
        application=application,
        amount=Decimal("120.00"),
        method="cash",
        receipt_number="A0001",
        recorded_by=office,
    )
    call_command("migrate", *BEFORE_SPLIT, verbosity=0)
    try:
        old = _old_apps()
        rows = {
            name: set(
                old.get_model("applications", name).objects.values_list("pk", flat=True)
            )
            for name in MOVED
        }
        # Messages of the old layout, one about an application and one about nothing.
        OldNotification = old.get_model("applications", "Notification")
        OldNotification.objects.all().delete()
        about = OldNotification.objects.create(
            user_id=applicant.pk,
            application_id=application.pk,
            kind="submitted",
            title="旧版消息：申报已提交",
            body="等待单位审核",
            dedupe_key="",
        )
        created = timezone.now() - timezone.timedelta(days=3)
        OldNotification.objects.filter(pk=about.pk).update(created_at=created)
        OldNotification.objects.create(
            user_id=applicant.pk,
            kind="reminder",
            title="旧版消息：提醒",
            body="请尽快提交",
        )
    finally:
        call_command("migrate", verbosity=0)

    assert all(rows.values()), "the old tables held rows of every kind"
    for name, model in MOVED.items():
        assert set(model.objects.values_list("pk", flat=True)) == rows[name], name
    assert Application.objects.filter(pk=application.pk).exists()
    moved = Notification.objects.get(title="旧版消息：申报已提交")
    assert moved.target == application
    assert moved.created_at == created
    assert Notification.objects.get(title="旧版消息：提醒").target is None
    assert ContentType.objects.filter(app_label="review", model="batch").exists()

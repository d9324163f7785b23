"""Review decisions, batches and what the on-site check records; and helpers
that move an application or a batch along the chain through the real
services (record_review, the batch services, conclude_onsite)."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.queries import fee_rates
from gongkao.review import batches
from gongkao.review import services as review
from gongkao.review.chain import step_status
from gongkao.review.models import (
    Appeal,
    AppealSettings,
    Batch,
    BatchChange,
    BatchScan,
    FeePayment,
    OriginalCustody,
    ReturnReasonCode,
    Review,
    ReviewStep,
)
from gongkao.review.permissions import requires_rosters
from tests.factories.accounts import UserFactory
from tests.factories.applications import PDF, ApplicationFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.organizations import UnitFactory


class ReturnReasonCodeFactory(factory.django.DjangoModelFactory[ReturnReasonCode]):
    """A coded return reason; get-or-create by code (migration 0002 seeds seven)."""

    class Meta:
        model = ReturnReasonCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"reason{n}")
    label = factory.Sequence(lambda n: f"退回原因{n}")
    order = 100


class ReviewFactory(factory.django.DjangoModelFactory[Review]):
    """A raw unit-review pass of round 1, for query tests; decisions are
    review.record_review's (see approve)."""

    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    step = ReviewStep.UNIT
    round = 1
    reviewer = factory.SubFactory(UserFactory)
    decision = Review.Decision.PASS
    decided_at = factory.LazyFunction(timezone.now)


class BatchFactory(factory.django.DjangoModelFactory[Batch]):
    """A raw open batch of a new unit in the 2025 campaign, for query tests.
    `state=` sets the state without its history; a batch that got there is
    advance_batch's."""

    class Meta:
        model = Batch

    campaign = factory.SubFactory(CampaignFactory)
    unit = factory.SubFactory(UnitFactory)
    reference = factory.LazyAttribute(lambda o: f"JZ{o.campaign.year}-{o.unit.pk:05d}")


class BatchChangeFactory(factory.django.DjangoModelFactory[BatchChange]):
    class Meta:
        model = BatchChange

    batch = factory.SubFactory(BatchFactory)
    from_state = Batch.State.OPEN
    to_state = Batch.State.ONLINE_REVIEW_COMPLETE


class BatchScanFactory(factory.django.DjangoModelFactory[BatchScan]):
    """Version 1 of the signed roster of those who passed, as a PDF."""

    class Meta:
        model = BatchScan

    batch = factory.SubFactory(BatchFactory)
    kind = BatchScan.Kind.PASSED
    version = 1
    file = factory.LazyFunction(lambda: ContentFile(PDF, name="scan.pdf"))
    extension = ".pdf"
    content_type = "application/pdf"
    sha256 = hashlib.sha256(PDF).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)


class FeePaymentFactory(factory.django.DjangoModelFactory[FeePayment]):
    """A raw fee row (0 yuan, cash); review.record_fee is the real one."""

    class Meta:
        model = FeePayment

    application = factory.SubFactory(ApplicationFactory)
    amount = Decimal("0")
    method = FeePayment.Method.CASH
    receipt_number = factory.Sequence(lambda n: f"No.{n:04d}")
    recorded_by = factory.SubFactory(UserFactory)


class OriginalCustodyFactory(factory.django.DjangoModelFactory[OriginalCustody]):
    """An original handed over by the applicant and still kept; `returned=True`
    gives it back."""

    class Meta:
        model = OriginalCustody

    application = factory.SubFactory(ApplicationFactory)
    item = "五级证书原件"
    received_from = factory.SelfAttribute("application.applicant.name")
    received_at = factory.LazyFunction(timezone.now)
    received_by = factory.SubFactory(UserFactory)

    class Params:
        returned = factory.Trait(
            returned_to=factory.SelfAttribute("received_from"),
            returned_at=factory.LazyFunction(timezone.now),
            returned_by=factory.SelfAttribute("received_by"),
        )


# --- the chain, through the services --------------------------------------------


class Reviewers(NamedTuple):
    """Who decides at each step for one unit: its clerk, its department's
    reviewer (None for a unit without one) and its office's reviewer."""

    clerk: User
    department: User | None
    office: User


def approve(
    application: Application, step: ReviewStep, by: User, **kwargs: Any
) -> Review:
    """record_review with every item ticked 符合."""
    return review.record_review(
        application,
        step=step,
        by=by,
        checks=review.approve_all_items(application, step),
        **kwargs,
    )


def advance(
    application: Application,
    to: Status,
    reviewers: Reviewers,
    *,
    onsite_required: bool = False,
) -> Application:
    """Move a submitted application on to `to` (department review, qualification
    review, the on-site check or qualified) by approving at each step. For
    qualified, the batch's paper steps are done first (advance_batch), the fee
    of the campaign's rate recorded and every original seen."""
    steps = [
        (ReviewStep.UNIT, reviewers.clerk),
        (ReviewStep.DEPARTMENT, reviewers.department),
        (ReviewStep.OFFICE, reviewers.office),
    ]
    for step, who in steps:
        application.refresh_from_db()
        if application.status in (to, Status.ONSITE_CHECK):
            break
        if application.status != step_status(step):
            continue
        assert who is not None, f"no reviewer for {step}"
        extra = (
            {"onsite_required": onsite_required} if step == ReviewStep.OFFICE else {}
        )
        approve(application, step, who, **extra)
    application.refresh_from_db()
    if to == Status.QUALIFIED and application.status == Status.ONSITE_CHECK:
        assert application.unit is not None
        batch = batches.batch_for(application.unit, application.campaign)
        advance_batch(batch, Batch.State.DEPARTMENT_STAMPED, reviewers)
        _conclude_qualified(application, reviewers.office)
    application.refresh_from_db()
    assert application.status == to, (application.status, to)
    return application


def _conclude_qualified(application: Application, office: User) -> None:
    review.record_fee(
        application,
        amount=fee_rates(application.campaign).get(application.level or 0, Decimal(0)),
        method="cash",
        receipt_number=f"R{application.pk:05d}",
        by=office,
    )
    seen = [
        item.key
        for item in review.review_items(application, ReviewStep.ONSITE)
        if item.kind == "material" and item.file is not None
    ]
    review.conclude_onsite(application, by=office, originals_seen=seen, qualified=True)


def advance_batch(batch: Batch, to: Batch.State, reviewers: Reviewers) -> Batch:
    """Take a batch whose online review is complete on to `to` through the
    batch services: rosters printed, both signed scans, the department's stamp
    (only the paper steps the office's procedure asks for), then every
    application at the on-site check concluded qualified with its fee, then
    closed with the fees' total. A step the procedure skips leaves the batch
    where it is (no rosters: online review complete is ready for on site)."""
    order = list(Batch.State)
    wanted = order.index(to)
    paper = requires_rosters(batch)
    B = Batch.State
    batch.refresh_from_db()
    if (
        paper
        and wanted >= order.index(B.ROSTERS_PRINTED)
        and batch.state == B.ONLINE_REVIEW_COMPLETE
    ):
        batches.mark_rosters_printed(batch, by=reviewers.clerk)
    if (
        paper
        and wanted >= order.index(B.SCANS_UPLOADED)
        and batch.state == B.ROSTERS_PRINTED
    ):
        for kind in (BatchScan.Kind.PASSED, BatchScan.Kind.ONSITE):
            batches.upload_scan(batch, kind, PDF, "scan.pdf", by=reviewers.clerk)
    if (
        paper
        and wanted >= order.index(B.DEPARTMENT_STAMPED)
        and batch.state == B.SCANS_UPLOADED
        and reviewers.department is not None
    ):
        batches.stamp_batch(batch, by=reviewers.department)
    if wanted >= order.index(B.ONSITE_CHECKED):
        for application in batches.batch_applications(batch):
            if application.status == Status.ONSITE_CHECK:
                _conclude_qualified(application, reviewers.office)
    if wanted >= order.index(B.CLOSED):
        paid = FeePayment.objects.filter(
            application__in=batches.batch_applications(batch)
        )
        total = sum((p.amount for p in paid), Decimal(0))
        batches.complete_onsite_check(batch, by=reviewers.office, fee_total=total)
    batch.refresh_from_db()
    return batch


class AppealSettingsFactory(factory.django.DjangoModelFactory[AppealSettings]):
    class Meta:
        model = AppealSettings
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(CampaignFactory)


class AppealFactory(factory.django.DjangoModelFactory[Appeal]):
    """A raw appeal row: the real one is review.appeals.file_appeal."""

    class Meta:
        model = Appeal

    application = factory.SubFactory(ApplicationFactory, status=Status.NOT_QUALIFIED)
    reason = "本人业绩材料已补充，请复核。"
    filed_by = factory.SelfAttribute("application.applicant")
    answer_due = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))

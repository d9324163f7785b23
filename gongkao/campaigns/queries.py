from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet

from gongkao.campaigns.models import Campaign, JobType


def current_campaign() -> Campaign | None:
    """The active campaign of the latest year (one jurisdiction per deployment today)."""
    return (
        Campaign.objects.filter(is_active=True)
        .select_related("division")
        .prefetch_related("fee_rates")
        .order_by("-year")
        .first()
    )


def search_job_types(text: str = "", category: str = "") -> QuerySet[JobType]:
    qs = JobType.objects.all()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("category", "code")


def job_type_categories() -> list[str]:
    return list(
        JobType.objects.order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def fee_rates(campaign: Campaign) -> dict[int, Decimal]:
    """Level → fee of the campaign (zero until an office sets it)."""
    return {rate.level: rate.amount for rate in campaign.fee_rates.all()}

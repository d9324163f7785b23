"""Reads for the public portal: only what a notice makes public."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from gongkao.campaigns.models import Campaign
from gongkao.campaigns.queries import pick_current
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import at_or_below


def portal_campaigns() -> list[Campaign]:
    """The current campaign of every city that has one, by division code."""
    by_city: dict[int, list[Campaign]] = {}
    for campaign in Campaign.objects.filter(is_active=True).select_related("division"):
        by_city.setdefault(campaign.division_id, []).append(campaign)
    today = timezone.localdate()
    current = [pick_current(found, today) for found in by_city.values()]
    return sorted((c for c in current if c is not None), key=lambda c: c.division.code)


def public_campaign(pk: int) -> Campaign | None:
    return (
        Campaign.objects.filter(is_active=True, pk=pk)
        .select_related("division")
        .prefetch_related("notices", "faq", "fee_rates")
        .first()
    )


def offices_of(campaign: Campaign) -> QuerySet[ExamOffice]:
    """The exam offices of the campaign's city, the city's own first."""
    return (
        ExamOffice.objects.filter(at_or_below(campaign.division_id))
        .select_related("division")
        .order_by("division__code")
    )

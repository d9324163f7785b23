from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkao.accounts.models import RoleAssignment, User
from gongkao.campaigns.models import Campaign, JobType
from gongkao.organizations.models import Division, ExamOffice, Unit
from gongkao.organizations.queries import at_or_below


def pick_current(campaigns: Iterable[Campaign], today: date) -> Campaign | None:
    """The campaign whose window (registration to the last result) contains
    `today`, else the one that opens next, else the last one (read-only).
    Ties go to the first in the order given."""
    campaigns = list(campaigns)
    running = [
        c for c in campaigns if c.registration_start <= today <= c.panel_review_end
    ]
    if running:
        return max(running, key=lambda c: (c.year, c.registration_start))
    upcoming = [c for c in campaigns if c.registration_start > today]
    if upcoming:
        return min(upcoming, key=lambda c: c.registration_start)
    return max(campaigns, key=lambda c: (c.panel_review_end, c.year), default=None)


def _campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_active=True).select_related("division")


def campaigns_for_division(division: Division | None) -> QuerySet[Campaign]:
    """The campaigns that cover `division`: those of its city (or of any
    division above it). None: every campaign."""
    if division is None:
        return _campaigns()
    # The division and its ancestors from the rows in hand (GB/T 2260 has
    # three levels): no join and no DISTINCT on every page.
    ids = [division.pk]
    parent = division.parent if division.parent_id is not None else None
    if parent is not None:
        ids.append(parent.pk)
        if parent.parent_id is not None:
            ids.append(parent.parent_id)
    return _campaigns().filter(division_id__in=ids)


def campaigns_of_office(office: ExamOffice) -> QuerySet[Campaign]:
    """What an office works on: the campaigns of its city, or for an office
    above the cities (a province's), every campaign below it."""
    if office.division.kind == Division.Kind.PROVINCE:
        return _campaigns().filter(at_or_below(office.division_id)).distinct()
    return campaigns_for_division(office.division)


def current_campaign(
    division: Division | None = None, today: date | None = None
) -> Campaign | None:
    """The current campaign of `division`'s city (see `pick_current`); with no
    division, of the whole installation."""
    # Sorted here as the model orders them: an ORDER BY over the campaign's
    # many columns costs every applicant's request more than this sort of a
    # row or two.
    campaigns = sorted(
        campaigns_for_division(division).order_by(), key=lambda c: (-c.year, c.name)
    )
    return pick_current(campaigns, today or timezone.localdate())


def campaign_for_unit(unit: Unit | None, today: date | None = None) -> Campaign | None:
    return current_campaign(unit.division if unit is not None else None, today)


def campaigns_for_assignment(assignment: RoleAssignment) -> QuerySet[Campaign]:
    """The campaigns a staff role works on: its office's or its unit's city's."""
    if assignment.office_id is not None and assignment.office is not None:
        return campaigns_of_office(assignment.office)
    if assignment.unit_id is not None and assignment.unit is not None:
        return campaigns_for_division(assignment.unit.division)
    return _campaigns()


def chosen_campaign(
    assignment: RoleAssignment, choice: str | None = None
) -> tuple[Campaign | None, list[Campaign]]:
    """The campaign a staff page shows — `choice` (a campaign id from the year
    picker), otherwise the current one of the role's city — and every campaign
    the role may choose, newest first. A choice the role may not see raises
    Campaign.DoesNotExist (the view answers 404)."""
    campaigns = list(
        campaigns_for_assignment(assignment).order_by("-year", "division__code")
    )
    if choice:
        found = [c for c in campaigns if choice == str(c.pk)]
        if not found:
            raise Campaign.DoesNotExist(choice)
        return found[0], campaigns
    return pick_current(campaigns, timezone.localdate()), campaigns


def current_campaign_for_user(user: User) -> Campaign | None:
    """The campaign of the user's city: an applicant's by their unit, staff by
    their first role's office or unit; a visitor none."""
    if not user.is_authenticated:
        return None  # the portal shows every city's; no one city is "current"
    unit = Unit.objects.filter(applicant_profiles__user=user).first()
    if unit is not None:
        return current_campaign(unit.division)
    assignment = (
        RoleAssignment.objects.filter(user=user)
        .select_related("office__division", "unit__division")
        .first()
    )
    if assignment is not None:
        return pick_current(campaigns_for_assignment(assignment), timezone.localdate())
    return current_campaign()


def is_past(campaign: Campaign, today: date | None = None) -> bool:
    """Over: its last result is published (pages show it read-only)."""
    return (today or timezone.localdate()) > campaign.panel_review_end


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

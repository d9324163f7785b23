"""Who may change a campaign's settings and the units of a jurisdiction."""

from __future__ import annotations

from datetime import date

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.campaigns.models import Campaign


def owns_campaign(assignment: RoleAssignment, campaign: Campaign) -> bool:
    """The administrator of the office of the campaign's division (its city's
    office) sets the campaign up; other offices of the city only read it."""
    office = assignment.office
    return (
        assignment.role == Role.OFFICE_ADMIN
        and office is not None
        and office.division_id == campaign.division_id
    )


def can_maintain_units(assignment: RoleAssignment) -> bool:
    return assignment.role == Role.OFFICE_ADMIN and assignment.office_id is not None


def units_frozen(campaign: Campaign | None, today: date) -> bool:
    """Renaming and deactivating a unit stop once registration opens (the
    province's rule): applications and rosters name the unit as it was."""
    return campaign is not None and today >= campaign.registration_start

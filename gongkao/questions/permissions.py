"""Who sees a bank, and which campaigns a bank serves."""

from __future__ import annotations

from datetime import datetime

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.campaigns.models import Campaign
from gongkao.exams.checkin import doors_open, starts_at
from gongkao.exams.models import Sitting
from gongkao.organizations.queries import lineage

BANK_ROLES = (Role.QUESTION_BANK,)


def serves(assignment: RoleAssignment, campaign: Campaign) -> bool:
    """A bank serves the campaigns of its office's division and those below."""
    office = assignment.office
    return (
        assignment.role in BANK_ROLES
        and office is not None
        and office.division_id in lineage(campaign.division_id)
    )


def paper_open(sitting: Sitting, now: datetime) -> bool:
    """No question of a sitting reaches a candidate's browser before it starts."""
    return now >= starts_at(sitting)


def papers_rebuildable(sitting: Sitting, now: datetime) -> bool:
    """Papers are fixed once the doors open: candidates log in after that."""
    return now < doors_open(sitting)

"""Who plans a campaign's exams."""

from __future__ import annotations

from datetime import datetime

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.campaigns.models import Campaign
from gongkao.exams.models import ExamPlan
from gongkao.organizations.models import Division

PLANNER_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_REVIEWER)


def can_plan(assignment: RoleAssignment, campaign: Campaign) -> bool:
    """The office of the campaign's city plans its exams (its administrator
    and reviewers); when the campaign says the city does not run them
    (Campaign.exams_run_by_city), every office of the city plans its own
    jurisdiction's (queries.scope)."""
    office = assignment.office
    if assignment.role not in PLANNER_ROLES or office is None:
        return False
    if office.division_id == campaign.division_id:
        return True
    return (
        not campaign.exams_run_by_city
        and Division.objects.filter(
            pk=office.division_id, parent_id=campaign.division_id
        ).exists()
    )


def is_locked(plan: ExamPlan | None) -> bool:
    return plan is not None and plan.locked_at is not None


def tickets_printable(plan: ExamPlan | None, now: datetime) -> bool:
    """Candidates print their tickets inside the window the office set."""
    return (
        plan is not None
        and plan.tickets_issued_at is not None
        and plan.tickets_open_at is not None
        and plan.tickets_close_at is not None
        and plan.tickets_open_at <= now <= plan.tickets_close_at
    )

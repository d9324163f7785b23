"""Who plans a campaign's exams."""

from __future__ import annotations

from datetime import datetime

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.campaigns.models import Campaign
from gongkao.exams.models import ExamPlan

PLANNER_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_REVIEWER)


def can_plan(assignment: RoleAssignment, campaign: Campaign) -> bool:
    """The office of the campaign's city plans its exams (its administrator
    and reviewers); county offices see the plan of their candidates."""
    office = assignment.office
    return (
        assignment.role in PLANNER_ROLES
        and office is not None
        and office.division_id == campaign.division_id
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

"""Who may do what with the expert pool, panels and sessions."""

from __future__ import annotations

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.campaigns.models import Campaign
from gongkao.exams.permissions import can_plan
from gongkao.panels.models import Panel, PanelMember, ReviewSession

MANAGER_ROLES = (Role.OFFICE_ADMIN,)


def can_manage_pool(assignment: RoleAssignment) -> bool:
    """The office administrator keeps the office's expert pool."""
    return assignment.role in MANAGER_ROLES and assignment.office_id is not None


def can_manage_panels(assignment: RoleAssignment, campaign: Campaign) -> bool:
    """The administrator of an office that plans the campaign's exams sets
    up its panels (the level-1 candidates follow the exam plan's scope)."""
    return can_manage_pool(assignment) and can_plan(assignment, campaign)


def manages(assignment: RoleAssignment, panel: Panel) -> bool:
    return can_manage_pool(assignment) and assignment.office_id == panel.office_id


def is_chair(user: User, member: PanelMember) -> bool:
    return member.chair and member.expert.user_id == user.pk


def can_ballot(session: ReviewSession) -> bool:
    """Ballots are cast and changed only while the session is open."""
    return not session.is_closed


def can_reopen(assignment: RoleAssignment, session: ReviewSession) -> bool:
    """The office reopens a closed session (with a reason)."""
    return session.is_closed and manages(assignment, session.panel)

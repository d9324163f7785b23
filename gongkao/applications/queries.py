"""Reads scoped to who is asking: an applicant sees their own files, a unit
clerk their unit's, a department its subordinates', an office its jurisdiction's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.applications.models import Application, MaterialFile, StatusChange
from gongkao.applications.states import HOLDER, Status
from gongkao.organizations.models import Unit
from gongkao.organizations.queries import (
    NoJurisdiction,
    reviewing_office,
    units_of_office,
)


def reviewer_scope(user: User) -> Q:
    """A filter on Application matching every file the user may review."""
    scope = Q(pk__in=[])
    for assignment in RoleAssignment.objects.filter(user=user).select_related("office"):
        scope |= scope_q(assignment)
    return scope


def material_file_for(user: User, pk: int) -> MaterialFile | None:
    """A file its owner or a reviewer in scope may open; None for anyone else."""
    stored = (
        MaterialFile.objects.select_related("material__application")
        .filter(pk=pk)
        .first()
    )
    if stored is None:
        return None
    application = stored.material.application
    if application.applicant_id == user.pk:
        return stored
    if (
        application.status != Status.DRAFT
        and Application.objects.filter(reviewer_scope(user), pk=application.pk).exists()
    ):
        return stored
    return None


def history(application: Application) -> list[StatusChange]:
    return list(application.status_changes.order_by("at", "id"))


def latest_return(application: Application) -> StatusChange | None:
    return (
        application.status_changes.filter(to_status=Status.RETURNED)
        .order_by("-at", "-id")
        .first()
    )


def reasons_by_item(application: Application) -> dict[str, list[dict[str, Any]]]:
    """The current return's reasons, grouped by the item they concern."""
    if application.status != Status.RETURNED:
        return {}
    change = latest_return(application)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for reason in change.reasons if change else []:
        grouped.setdefault(reason["item"], []).append(reason)
    return grouped


def holder_label(application: Application) -> str:
    """Who has the file now, in words for the status page."""
    holder = HOLDER.get(Status(application.status))
    unit = application.unit
    if holder == "applicant":
        return "申报人本人"
    if holder == "unit" and unit:
        return f"{unit}（单位审核）"
    if holder == "department" and unit and unit.supervising_department:
        return f"{unit.supervising_department}（主管部门审核）"
    if holder == "office" and unit:
        try:
            return f"{reviewing_office(unit)}（{application.get_status_display()}）"
        except NoJurisdiction:
            return "工考管理机构"
    return "—"


def scope_q(assignment: RoleAssignment, unit: str = "unit") -> Q:
    """The one rule of who sees what, as a filter on a model with a `unit` field:
    a clerk their unit, a department its subordinate units, an office the units
    it reviews. Any other role sees nothing."""
    if assignment.role == Role.UNIT_CLERK and assignment.unit_id is not None:
        return Q(**{f"{unit}_id": assignment.unit_id})
    if assignment.role == Role.DEPARTMENT_REVIEWER and assignment.unit_id is not None:
        return Q(**{f"{unit}__supervising_department_id": assignment.unit_id})
    if (
        assignment.role in (Role.OFFICE_REVIEWER, Role.OFFICE_ADMIN)
        and assignment.office
    ):
        return Q(**{f"{unit}__in": units_of_office(assignment.office)})
    return Q(pk__in=[])


UNIT_SEARCH_LIMIT = 15
UNIT_QUERY_MAX = 50


def units_matching(query: str) -> tuple[list[Unit], bool]:
    """Active units whose name or credit code contains `query` (cleaned: no NUL,
    at most UNIT_QUERY_MAX characters; every blank-separated word must match),
    at most UNIT_SEARCH_LIMIT of them by name, and whether more matched."""
    words = query.replace("\x00", "")[:UNIT_QUERY_MAX].split()
    if not words:
        return [], False
    found = Unit.objects.filter(is_active=True)
    for word in words:
        found = found.filter(Q(name__icontains=word) | Q(credit_code__iexact=word))
    units = list(found.order_by("name")[: UNIT_SEARCH_LIMIT + 1])
    return units[:UNIT_SEARCH_LIMIT], len(units) > UNIT_SEARCH_LIMIT

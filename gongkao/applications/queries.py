"""Reads scoped to who is asking: an applicant sees their own files, a unit
clerk their unit's, a department its subordinates', an office its jurisdiction's."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.applications.models import Application, Batch, MaterialFile, StatusChange
from gongkao.applications.states import HOLDER, Status
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


def material_file_for(user: User, pk: int) -> MaterialFile:
    """A file its owner or a reviewer in scope may open; anyone else gets 404."""
    stored = (
        MaterialFile.objects.select_related("material__application")
        .filter(pk=pk)
        .first()
    )
    if stored is None:
        raise Http404
    application = stored.material.application
    if application.applicant_id == user.pk:
        return stored
    if (
        application.status != Status.DRAFT
        and Application.objects.filter(reviewer_scope(user), pk=application.pk).exists()
    ):
        return stored
    raise Http404


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


# --- the review chain's queues ------------------------------------------------

QUEUE_ROLES = {
    Role.UNIT_CLERK: "unit",
    Role.DEPARTMENT_REVIEWER: "department",
    Role.OFFICE_REVIEWER: "office",
    Role.OFFICE_ADMIN: "office",
}


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


def scoped_applications(assignment: RoleAssignment) -> QuerySet[Application]:
    """Every submitted application the holder of `assignment` may see; never
    their own (a clerk may apply too)."""
    return (
        Application.objects.filter(scope_q(assignment))
        .exclude(status=Status.DRAFT)
        .exclude(applicant_id=assignment.user_id)
        .select_related("applicant", "unit", "unit__division", "job_type", "campaign")
    )


def scoped_batches(assignment: RoleAssignment) -> QuerySet[Batch]:
    return Batch.objects.filter(scope_q(assignment)).select_related(
        "unit", "unit__division", "campaign", "unit__supervising_department"
    )


def scoped_application(assignment: RoleAssignment, pk: int) -> Application:
    application = scoped_applications(assignment).filter(pk=pk).first()
    if application is None:
        raise Http404("没有这份申报，或不在您的审核范围内。")
    return application


def int_param(value: str | None) -> int | None:
    """A small positive integer from a GET or POST value, else None (never a 500)."""
    if value and value.isdecimal() and value.isascii() and len(value) <= 12:
        return int(value)
    return None


def filter_queue(
    qs: QuerySet[Application], params: dict[str, str], today: Any = None
) -> QuerySet[Application]:
    """Apply a queue's filters (all optional) from GET parameters."""
    from django.utils import timezone

    if params.get("status") in Status.values:
        qs = qs.filter(status=params["status"])
    if (unit_id := int_param(params.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (division_id := int_param(params.get("division"))) is not None:
        qs = qs.filter(unit__division_id=division_id)
    if params.get("level", "") in {"1", "2", "3", "4", "5"}:
        qs = qs.filter(level=int(params["level"]))
    if (job_type_id := int_param(params.get("job_type"))) is not None:
        qs = qs.filter(job_type_id=job_type_id)
    if params.get("route"):
        qs = qs.filter(eligibility__route=params["route"])
    if params.get("overdue") == "1":
        qs = qs.filter(
            Q(resubmit_overdue=True)
            | Q(status=Status.RETURNED, resubmit_by__lt=today or timezone.localdate())
        )
    if params.get("deferred") == "1":
        qs = qs.filter(deferred_committed_at__isnull=False)
    if params.get("onsite") == "1":
        qs = qs.filter(onsite_required=True)
    if params.get("q"):
        qs = qs.filter(applicant__name__contains=params["q"].strip())
    return qs


def describe_filters(params: dict[str, str]) -> str:
    """The filters in words, for an export's subtitle."""
    labels = {
        "status": "状态",
        "unit": "单位",
        "division": "区划",
        "level": "等级",
        "job_type": "工种",
        "route": "途径",
        "overdue": "逾期",
        "deferred": "容缺后补",
        "onsite": "需现场审查",
        "q": "姓名",
    }
    parts = [f"{labels[k]}={v}" for k, v in params.items() if k in labels and v]
    return "筛选：" + ("；".join(parts) if parts else "无")


# --- statistics: circulars and dashboards ---------------------------------------

IN_ONLINE_REVIEW = (
    Status.UNIT_REVIEW,
    Status.DEPARTMENT_REVIEW,
    Status.QUALIFICATION_REVIEW,
    Status.RETURNED,
)
ONLINE_DONE = (Status.ONSITE_CHECK, Status.QUALIFIED, Status.NOT_QUALIFIED)


def unit_statistics(applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """Per unit: applications, returns, repeated returns, overdue resubmissions."""
    from django.db.models import Count, Sum

    rows = (
        applications.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .values("unit_id", "unit__name", "unit__division__name")
        .annotate(
            applications=Count("id"),
            returns=Sum("returns_count"),
            repeated_returns=Count("id", filter=Q(returns_count__gte=2)),
            overdue=Count("id", filter=Q(resubmit_overdue=True)),
        )
        .order_by("unit__name")
    )
    return [dict(r, returns=r["returns"] or 0) for r in rows]


def counts_by(applications: QuerySet[Application], field: str) -> list[tuple[Any, int]]:
    from django.db.models import Count

    return [
        (row[field], row["n"])
        for row in applications.values(field).annotate(n=Count("id")).order_by(field)
    ]


def division_progress(applications: QuerySet[Application]) -> list[dict[str, Any]]:
    """Per county, county-level city or district: how much online review is done."""
    from django.db.models import Count

    rows = (
        applications.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
        .values("unit__division_id", "unit__division__name", "unit__division__code")
        .annotate(
            total=Count("id"),
            pending=Count("id", filter=Q(status__in=IN_ONLINE_REVIEW)),
            done=Count("id", filter=Q(status__in=ONLINE_DONE)),
            returned=Count("id", filter=Q(status=Status.RETURNED)),
        )
        .order_by("unit__division__code")
    )
    return [
        dict(r, percent=round(100 * r["done"] / r["total"]) if r["total"] else 0)
        for r in rows
    ]

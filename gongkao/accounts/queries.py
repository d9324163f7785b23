from __future__ import annotations

from django.db.models import QuerySet

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.organizations.models import Unit


def assignments_of(user: User) -> list[RoleAssignment]:
    """The user's roles in menu order (most senior last)."""
    order = list(Role.values)
    rows = list(
        RoleAssignment.objects.filter(user=user).select_related(
            "unit__division__parent", "office__division__parent"
        )
    )
    rows.sort(key=lambda a: (order.index(a.role), a.pk))
    return rows


def departments_without_reviewer(units: QuerySet[Unit]) -> list[Unit]:
    """The supervising departments of `units` that nobody can review for: no
    active department reviewer account. Their units' files would wait at the
    department review with no one to open them."""
    staffed = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_REVIEWER, user__is_active=True
    ).values("unit_id")
    return list(
        Unit.objects.filter(subordinate_units__in=units)
        .exclude(pk__in=staffed)
        .distinct()
        .order_by("name")
    )

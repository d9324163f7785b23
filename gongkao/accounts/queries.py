from __future__ import annotations

from django.db.models import QuerySet

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.organizations.models import ExamOffice, Unit


def assignments_of(user: User) -> list[RoleAssignment]:
    """The user's roles in menu order (most senior last), each with its unit
    or office, their division and the one above (the campaigns are found
    from them).

    The scopes are read apart, and only where a role has one: an applicant's
    request (every page of the deadline surge) reads one narrow row, not
    seven joined tables with nothing in them."""
    order = list(Role.values)
    rows = list(RoleAssignment.objects.filter(user=user).order_by())
    rows.sort(key=lambda a: (order.index(a.role), a.pk))
    for field, model in (("unit", Unit), ("office", ExamOffice)):
        ids = {getattr(a, f"{field}_id") for a in rows} - {None}
        if not ids:
            continue
        scopes = model.objects.select_related("division__parent").in_bulk(ids)
        for a in rows:
            if (pk := getattr(a, f"{field}_id")) is not None:
                setattr(a, field, scopes[pk])
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

from __future__ import annotations

from gongkao.accounts.models import Role, RoleAssignment, User


def assignments_of(user: User) -> list[RoleAssignment]:
    """The user's roles in menu order (most senior last)."""
    order = list(Role.values)
    rows = list(
        RoleAssignment.objects.filter(user=user).select_related(
            "unit", "office", "unit__division"
        )
    )
    rows.sort(key=lambda a: (order.index(a.role), a.pk))
    return rows


def user_assignment(
    user: User, assignment_id: int, *roles: Role
) -> RoleAssignment | None:
    """The user's own assignment `assignment_id` (of one of `roles`), or None."""
    qs = RoleAssignment.objects.select_related("unit", "office").filter(
        user=user, pk=assignment_id
    )
    if roles:
        qs = qs.filter(role__in=list(roles))
    return qs.first()

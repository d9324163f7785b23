from __future__ import annotations

from django.http import Http404, HttpRequest

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


def assignment_for_user(user: User, assignment_id: int, *roles: Role) -> RoleAssignment:
    """The user's own assignment `assignment_id` (of one of `roles`), else 404."""
    qs = RoleAssignment.objects.select_related("unit", "office").filter(
        user=user, pk=assignment_id
    )
    if roles:
        qs = qs.filter(role__in=list(roles))
    assignment = qs.first()
    if assignment is None:
        raise Http404("没有该角色。")
    return assignment


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind @login_required, typed."""
    assert isinstance(request.user, User)
    return request.user

"""What views use to know who is asking and in which role: every page of a
role starts from the user's own role assignment, and anything else is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.queries import assignments_of
from gongkao.core.request_memo import remembered


def assignment_for_user(user: User, assignment_id: int, *roles: Role) -> RoleAssignment:
    """The user's own assignment `assignment_id` (of one of `roles`), else 404.
    Found among the user's assignments as the request has read them (the
    menu reads them too): one query for both."""
    for assignment in _assignments(user):
        if assignment.pk == assignment_id and (not roles or assignment.role in roles):
            return assignment
    raise Http404("没有该角色。")


def _assignments(user: User) -> list[RoleAssignment]:
    return remembered(("assignments", user.pk), lambda: assignments_of(user))


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a view behind @login_required, typed."""
    assert isinstance(request.user, User)
    return request.user


def request_assignments(request: HttpRequest) -> list[RoleAssignment]:
    """The user's role assignments (`assignments_of`), read once per request:
    the menu and the page's own role check share one query."""
    return _assignments(request_user(request))


def request_has_role(request: HttpRequest, *roles: Role) -> bool:
    return any(a.role in roles for a in request_assignments(request))

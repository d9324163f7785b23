from __future__ import annotations

from gongkao.accounts.models import Role, RoleAssignment, User


def has_role(user: User, *roles: Role) -> bool:
    return RoleAssignment.objects.filter(user=user, role__in=list(roles)).exists()


def can_manage_catalogue(user: User) -> bool:
    """Office administrators and system administrators maintain the job-type catalogue."""
    return user.is_superuser or has_role(user, Role.OFFICE_ADMIN, Role.SYSTEM_ADMIN)

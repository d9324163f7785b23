from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkao.accounts.access import request_assignments


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"my_assignments": request_assignments(request)}

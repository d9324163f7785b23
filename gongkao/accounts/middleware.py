from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class MustChangePasswordMiddleware:
    """An issued account keeps its SMS password only until the first page: every
    page but the password change and logout sends it there first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and request.path
            not in (reverse("accounts:password_change"), reverse("accounts:logout"))
            and not request.path.startswith("/static/")
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Every page the application renders may hold personal data (a phone in
    the reset form, an ID number typed into registration, every page of a
    logged-in user, uploaded files): browsers and proxies must not keep a copy.
    Static files never get here (WhiteNoise answers them earlier) and keep
    their long cache lifetime."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response

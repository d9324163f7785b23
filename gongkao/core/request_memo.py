"""Reads remembered for one request only.

A page may ask the same question several times over (an office's units for
its scope, its filter list and its warnings): `RequestMemoMiddleware` opens a
memo for each request, and `remembered(key, read)` runs `read` once per key
within it. Outside a request (services, tasks, commands, tests calling a
query directly) nothing is remembered. The memo ends with its request, so
nothing read here can go stale for another page.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, Any] | None] = ContextVar("request_memo", default=None)


def remembered(key: Hashable, read: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    value: T = memo[key]
    return value


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)

"""URLs of bench/scale.py: Gongkao's, plus one bare view.

The bare view runs through the whole middleware stack (sessions, CSRF, axes,
CSP …) and reads nothing, so a page's cost over it is what the page itself
adds.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("__bare__/", bare),
    path("", include("gongkao.urls")),
]

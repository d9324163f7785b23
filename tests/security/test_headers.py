"""Issue #12 part 5: pages with personal data are never kept by a browser or
proxy (Cache-Control: no-store); static files keep their cache lifetime."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts import crypto

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_logged_in_page_is_not_stored(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert _no_store(response)
    assert "private" in response["Cache-Control"]


def test_reset_confirm_page_with_the_phone_is_not_stored(client):
    # An anonymous page that shows a phone number (kept from step 1).
    session = client.session
    session["reset_phone"] = crypto.encrypt("13911112222")
    session.save()
    response = client.get(reverse("accounts:password_reset_confirm"))
    assert "13911112222" in response.content.decode()
    assert _no_store(response)


def test_static_files_keep_their_cache_headers(client, settings):
    # WhiteNoise answers static files before the middleware that adds no-store.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/css/gongkao.css")
    assert response.status_code == 200
    assert not _no_store(response)
    b"".join(response.streaming_content)  # closes the file WhiteNoise opened

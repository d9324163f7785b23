"""The error pages people meet with DEBUG off are Chinese and lead home."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_missing_page_is_chinese(client):
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and 'href="/"' in body


def test_a_form_sent_without_its_token_is_explained_in_chinese(applicant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        applicant, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend"
    )
    response = client.post(reverse("applications:withdraw"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "页面已过期" in body and 'href="/"' in body
    assert "CSRF" not in body

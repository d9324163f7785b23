"""Issue #12 part 2: a password reset answers the same for registered and
unregistered numbers: the same pages, messages, limits and database work;
only the registered number receives the code."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkao.accounts.models import SmsCode
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
REGISTERED = "13911112222"
UNREGISTERED = "13922223333"
RESET = reverse("accounts:password_reset")
CONFIRM = reverse("accounts:password_reset_confirm")


@pytest.fixture(autouse=True)
def alice():
    return UserFactory(phone=REGISTERED)


def _shown(response, phone: str) -> str:
    """The page with what must differ taken out: the phone typed, the token."""
    text = response.content.decode().replace(phone, "PHONE")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", text)


def _ask(phone: str):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(RESET, {"phone": phone}, follow=True)
    return client, response, len(queries)


def test_step_one_answers_the_same(sms_outbox):
    _, registered, registered_queries = _ask(REGISTERED)
    _, unregistered, unregistered_queries = _ask(UNREGISTERED)
    assert registered.redirect_chain == unregistered.redirect_chain
    assert registered.status_code == unregistered.status_code == 200
    assert _shown(registered, REGISTERED) == _shown(unregistered, UNREGISTERED)
    assert "如果该手机号已注册，验证码已发送" in registered.content.decode()
    # The same database work (no cheap timing difference); one SMS only.
    assert registered_queries == unregistered_queries
    assert [phone for phone, _ in sms_outbox] == [REGISTERED]
    assert SmsCode.objects.count() == 2


def test_the_resend_limit_answers_the_same():
    answers = {}
    for phone in (REGISTERED, UNREGISTERED):
        client = Client()
        client.post(RESET, {"phone": phone})
        again = client.post(RESET, {"phone": phone})
        answers[phone] = (again.status_code, _shown(again, phone))
    assert answers[REGISTERED] == answers[UNREGISTERED]
    assert "请60秒后再试" in answers[REGISTERED][1]


def test_a_wrong_code_answers_the_same():
    answers = {}
    for phone in (REGISTERED, UNREGISTERED):
        client, _, _ = _ask(phone)
        response = client.post(
            CONFIRM,
            {
                "phone": phone,
                "code": "000000",
                "new_password1": "Xin-mima-2025",
                "new_password2": "Xin-mima-2025",
            },
        )
        answers[phone] = (response.status_code, _shown(response, phone))
    assert answers[REGISTERED] == answers[UNREGISTERED]
    assert "验证码不正确" in answers[REGISTERED][1]

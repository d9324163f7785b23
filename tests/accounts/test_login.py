from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gongkao.accounts.models import User
from gongkao.core.models import AuditEvent
from tests.factories import UserFactory, make_id_number

pytestmark = pytest.mark.django_db
PASSWORD = "Secret-pass-123"


@pytest.fixture
def alice():
    user = UserFactory(username="alice", name="王爱丽", phone="13911112222")
    user.set_id_number(make_id_number("19750601", sex="F"))
    user.save()
    return user


def _login(client, username, password=PASSWORD):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def test_login_by_phone(client, alice):
    response = _login(client, "139 1111 2222")
    assert response.status_code == 302
    assert response.wsgi_request.user == alice
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LOGIN, actor_id=alice.pk
    ).exists()


def test_login_by_id_number_lowercase_x_accepted(client):
    id_number = "11010519491231002X"
    user = UserFactory(username="bob")
    user.set_id_number(id_number)
    user.save()
    response = _login(client, id_number.lower())
    assert response.status_code == 302
    assert response.wsgi_request.user == user


def test_login_by_staff_username(client, alice):
    assert _login(client, "alice").status_code == 302


def test_login_wrong_password_shows_chinese_message(client, alice):
    response = _login(client, "13911112222", "wrong-password")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).count() == 1


def test_login_locks_out_after_five_failures(client, alice):
    for _ in range(5):
        _login(client, "13911112222", "wrong-password")
    response = _login(client, "13911112222")  # the right password, too late
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_counts_the_account_however_it_is_typed(client, alice):
    for name in [
        "13911112222",
        "139 1111 2222",
        "+8613911112222",
        "13911112222",
        "13911112222",
    ]:
        _login(client, name, "wrong-password")
    assert _login(client, "13911112222").status_code == 429


def test_logout_requires_post(client, alice):
    client.force_login(
        alice, backend="gongkao.accounts.backends.PhoneOrIdNumberBackend"
    )
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).exists()


def test_issued_account_must_change_password_first(client, alice):
    alice.must_change_password = True
    alice.save()
    response = _login(client, "13911112222")
    assert response.url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.must_change_password
    assert alice.check_password("Xin-mima-2025")


def test_password_reset_by_sms_code(client, alice, sms_outbox):
    response = client.post(reverse("accounts:password_reset"), {"phone": "13911112222"})
    assert response.status_code == 302
    phone, message = sms_outbox[-1]
    assert phone == "13911112222"
    code = re.search(r"验证码为(\d{6})", message).group(1)
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": "13911112222",
            "code": code,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).check_password("Xin-mima-2025")
    # The code is single-use.
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": "13911112222",
            "code": code,
            "new_password1": "Other-mima-2025",
            "new_password2": "Other-mima-2025",
        },
    )
    assert "验证码已失效" in response.content.decode()


def test_password_reset_wrong_code_is_refused(client, alice, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"phone": "13911112222"})
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": "13911112222",
            "code": "000000" if "000000" not in sms_outbox[-1][1] else "111111",
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert User.objects.get(pk=alice.pk).check_password(PASSWORD)


def test_password_reset_unknown_phone_answers_the_same_and_sends_nothing(
    client, sms_outbox
):
    response = client.post(reverse("accounts:password_reset"), {"phone": "13700000000"})
    assert response.status_code == 302
    assert sms_outbox == []


def test_sms_code_resend_is_rate_limited(client, alice, sms_outbox):
    client.post(reverse("accounts:password_reset"), {"phone": "13911112222"})
    response = client.post(reverse("accounts:password_reset"), {"phone": "13911112222"})
    assert response.status_code == 200
    assert "秒后再试" in response.content.decode()
    assert len(sms_outbox) == 1


def test_sms_codes_are_rate_limited_per_ip(alice, rf, sms_outbox):
    from gongkao.accounts.models import SmsCode
    from gongkao.accounts.services import SmsRateLimited, send_sms_code

    request = rf.post("/", REMOTE_ADDR="10.1.2.3")
    for i in range(20):
        send_sms_code(f"1360000{i:04d}", SmsCode.Purpose.REGISTER, request=request)
    with pytest.raises(SmsRateLimited, match="一小时"):
        send_sms_code("13600009999", SmsCode.Purpose.REGISTER, request=request)


def test_login_next_only_follows_local_urls(client, alice):
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "alice",
            "password": PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == reverse("home")

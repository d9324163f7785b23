"""Issue #12 part 2: the login lockout (accounts/lockout.py).

Per account across all its names, in a fixed window that attempts during the
lock do not extend; per address against spraying many accounts, counting
failures only and exempting an office's exam-room networks."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from gongkao.accounts.models import LoginThrottle, TrustedNetwork
from gongkao.core.models import AuditEvent
from tests.factories import UserFactory, make_id_number

pytestmark = pytest.mark.django_db
PASSWORD = "Secret-pass-123"
PHONE = "13911112222"
START = "2025-03-20 10:00 +0800"


@pytest.fixture
def alice():
    user = UserFactory(username="alice", name="王爱丽", phone=PHONE)
    user.set_id_number(make_id_number("19750601", sex="F"))
    user.save()
    return user


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def _fail(client, username, times=1, ip="10.0.0.1"):
    return [_login(client, username, "wrong-password", ip) for _ in range(times)]


def _logged_in(response) -> bool:
    return bool(
        response.status_code == 302 and response.wsgi_request.user.is_authenticated
    )


def test_failures_by_phone_and_id_number_count_together(client, alice, clock):
    answers = _fail(client, PHONE, 2) + _fail(client, "139 1111 2222", 1)
    answers += _fail(client, alice.id_number.lower(), 2)
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    # Every name of the account is locked, the staff username too.
    for name in (PHONE, alice.id_number, "alice"):
        response = _login(client, name)
        assert response.status_code == 429
        assert not response.wsgi_request.user.is_authenticated
    assert LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ACCOUNT).count() == 1


def test_lock_page_says_when_to_try_again(client, alice, clock):
    response = _fail(client, PHONE, 5)[-1]
    text = response.content.decode()
    assert response.status_code == 429
    assert "账号已暂时锁定，请于10:30后再试" in text
    assert "短信验证码重置密码" in text


def test_lock_ends_at_a_fixed_time_that_attempts_do_not_extend(client, alice, clock):
    _fail(client, PHONE, 5)  # 10:00, locked until 10:30
    for minutes in (10, 20, 29):
        clock.move_to(f"2025-03-20 10:{minutes:02d} +0800")
        _fail(client, PHONE)  # refused, not counted
        assert _login(client, PHONE).status_code == 429
        assert "请于10:30后再试" in _login(client, PHONE).content.decode()
    clock.move_to("2025-03-20 10:30:01 +0800")
    assert _logged_in(_login(client, PHONE))


def test_the_window_is_fixed_from_the_first_failure(client, alice, clock):
    _fail(client, PHONE, 4)  # 10:00
    clock.move_to("2025-03-20 10:29 +0800")
    assert _fail(client, PHONE)[0].status_code == 429  # the 5th within the window
    client.logout()
    LoginThrottle.objects.all().delete()
    clock.move_to("2025-03-20 11:00 +0800")
    _fail(client, PHONE, 4)  # 11:00
    clock.move_to("2025-03-20 11:30 +0800")  # the window has closed: counts anew
    assert _fail(client, PHONE)[0].status_code == 200
    assert _logged_in(_login(client, PHONE))


def test_a_successful_login_clears_the_account_failures(client, alice, clock):
    _fail(client, PHONE, 4)
    assert _logged_in(_login(client, PHONE))
    client.logout()
    assert [r.status_code for r in _fail(client, PHONE, 4)] == [200] * 4


def test_unregistered_number_locks_like_a_registered_one(client, clock):
    answers = _fail(client, "13700001111", 5)
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    assert "账号已暂时锁定" in answers[-1].content.decode()


def test_sms_reset_lifts_the_lock(client, alice, clock, sms_outbox):
    _fail(client, PHONE, 5)
    client.post(reverse("accounts:password_reset"), {"phone": PHONE})
    code = re.search(r"验证码为(\d{6})", sms_outbox[-1][1]).group(1)
    client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": PHONE,
            "code": code,
            "new_password1": "Xin-mima-2025",
            "new_password2": "Xin-mima-2025",
        },
    )
    assert _logged_in(_login(client, PHONE, "Xin-mima-2025"))


@pytest.fixture
def address_limit(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    return 8


def test_one_address_spraying_many_accounts_is_locked(
    client, alice, clock, address_limit
):
    # One failure each on many accounts: no account reaches its own limit.
    answers = [_fail(client, f"1370000{n:04d}")[0] for n in range(address_limit)]
    assert [r.status_code for r in answers] == [200] * (address_limit - 1) + [429]
    response = _login(client, PHONE)  # the right password, same address
    assert response.status_code == 429
    assert "当前网络登录失败次数过多" in response.content.decode()
    assert "请于10:30后再试" in response.content.decode()
    # Another address is not affected.
    assert _logged_in(_login(client, PHONE, ip="10.0.0.2"))
    clock.move_to("2025-03-20 10:30:01 +0800")
    client.logout()
    assert _logged_in(_login(client, PHONE))


def test_address_throttle_counts_failures_only(client, alice, clock, address_limit):
    for _ in range(address_limit * 2):
        assert _logged_in(_login(client, PHONE))
        client.logout()
    assert not LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS).exists()


def test_a_success_does_not_clear_the_address_failures(
    client, alice, clock, address_limit
):
    for n in range(address_limit - 1):
        _fail(client, f"1370000{n:04d}")
    assert _logged_in(_login(client, PHONE))
    client.logout()
    assert _fail(client, "13700009999")[0].status_code == 429


def test_exam_room_network_is_exempt_from_the_address_throttle(
    client, alice, clock, address_limit, city_office
):
    TrustedNetwork.objects.create(
        office=city_office, cidr="10.0.0.0/24", note="焦作一中考点3号机房"
    )
    # A whole room mistypes, one attempt each, from one address.
    for n in range(address_limit * 2):
        assert _fail(client, f"1370000{n:04d}")[0].status_code == 200
    assert _logged_in(_login(client, PHONE))
    client.logout()
    # Each account is still locked on its own.
    answers = _fail(client, PHONE, 5)
    assert answers[-1].status_code == 429
    assert "账号已暂时锁定" in answers[-1].content.decode()
    assert not LoginThrottle.objects.filter(kind=LoginThrottle.Kind.ADDRESS).exists()


def test_the_daily_sweep_forgets_expired_counts(client, alice, clock):
    from django.core.management import call_command

    _fail(client, "13700001111", 5)  # locked until 10:30
    _fail(client, PHONE, 1)
    clock.move_to("2025-03-20 10:20 +0800")
    _fail(client, alice.id_number, 1)  # same account: its window is still open
    clock.move_to("2025-03-20 10:31 +0800")
    _fail(client, "13700002222", 1)  # a new window, kept (with the address's)
    call_command("sweep_deadlines", "--today", "2025-03-20")
    assert sorted(LoginThrottle.objects.values_list("kind", "failures")) == [
        ("account", 1),
        ("address", 1),
    ]


def test_lifting_a_lock_in_the_admin_is_audited_without_the_key(
    client, alice, clock, system_admin
):
    _fail(client, PHONE, 5)
    row = LoginThrottle.objects.get(kind=LoginThrottle.Kind.ACCOUNT)
    client.force_login(system_admin)
    url = reverse("admin:accounts_loginthrottle_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not LoginThrottle.objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONFIG_DELETED)
    assert event.actor_id == system_admin.pk
    assert row.key not in str(event.before) + str(event.after)
    client.logout()
    assert _logged_in(_login(client, PHONE))

"""Login lockout: failures per account and per address in fixed windows.

- **Per account.** Every name of one account (its phone, however typed, its
  ID number, a staff username) counts against the same row, keyed by the
  keyed hash of the account's id; a name no account has counts against the
  hash of the name, so a lockout looks the same for registered and
  unregistered numbers. LOGIN_FAILURE_LIMIT failures within
  LOGIN_WINDOW_MINUTES of the first lock the account until
  LOGIN_LOCKOUT_MINUTES after the failure that reached the limit: a fixed
  time, which attempts during the lock (refused without checking the
  password, never counted) do not move.
- **Per address**, against one address spraying many accounts:
  LOGIN_ADDRESS_FAILURE_LIMIT failures in the same window lock the address
  for every account. Only failures count, and a successful login does not
  clear them (an attacker's own account would). Addresses an exam office
  registered for its exam rooms (`TrustedNetwork`), where a whole room shares
  one address, are not counted.

A successful login or an SMS password reset clears the account's row.
Rows are locked while counted (`select_for_update`), so processes sharing
the database agree.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts import crypto
from gongkao.accounts.backends import find_user_for_login, normalize_login
from gongkao.accounts.models import LoginThrottle, TrustedNetwork, User
from gongkao.core.services import client_ip


@dataclass(frozen=True)
class Lock:
    """Why a login is refused and until when."""

    kind: LoginThrottle.Kind
    until: datetime

    @property
    def message(self) -> str:
        when = _shown_time(self.until)
        if self.kind == LoginThrottle.Kind.ADDRESS:
            return (
                f"当前网络登录失败次数过多，已暂停从此网络登录，请于{when}后再试。"
                "在考场登录请联系考务人员。"
            )
        return (
            f"密码连续输错次数过多，账号已暂时锁定，请于{when}后再试，"
            "或用短信验证码重置密码。"
        )


def _shown_time(moment: datetime) -> str:
    local = timezone.localtime(moment)
    today = timezone.localdate()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return clock
    return f"{local.month}月{local.day}日{clock}"


def account_key(login_name: str) -> str:
    """The keyed hash the account's failures are counted under."""
    user = find_user_for_login(login_name)
    if user is not None:
        return _account_key_of(user)
    return crypto.blind_index("login-name:" + normalize_login(login_name))


def _account_key_of(user: User) -> str:
    return crypto.blind_index(f"account:{user.pk}")


def _address_key(ip: str) -> str:
    return crypto.blind_index("address:" + ip)


def is_trusted(ip: str | None) -> bool:
    """Whether `ip` lies in an address range an office registered for exam rooms."""
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for cidr in TrustedNetwork.objects.values_list("cidr", flat=True):
        network = ipaddress.ip_network(cidr, strict=False)
        if address.version == network.version and address in network:
            return True
    return False


def _counted_address(request: HttpRequest) -> str | None:
    ip = client_ip(request)
    return None if not ip or is_trusted(ip) else ip


def current_lock(request: HttpRequest, login_name: str) -> Lock | None:
    """The lock that refuses this login before its password is checked."""
    now = timezone.now()
    keys = {account_key(login_name): LoginThrottle.Kind.ACCOUNT}
    ip = _counted_address(request)
    if ip:
        keys[_address_key(ip)] = LoginThrottle.Kind.ADDRESS
    row = (
        LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .first()
    )
    if row is None or row.locked_until is None:
        return None
    return Lock(LoginThrottle.Kind(row.kind), row.locked_until)


def count_failure(request: HttpRequest, login_name: str) -> Lock | None:
    """Count a failed login against the account and the address.

    Returns the lock the failure set (or found), if any.
    """
    locks = [
        _count(
            LoginThrottle.Kind.ACCOUNT,
            account_key(login_name),
            settings.LOGIN_FAILURE_LIMIT,
        )
    ]
    ip = _counted_address(request)
    if ip:
        locks.append(
            _count(
                LoginThrottle.Kind.ADDRESS,
                _address_key(ip),
                settings.LOGIN_ADDRESS_FAILURE_LIMIT,
            )
        )
    found = [lock for lock in locks if lock is not None]
    return max(found, key=lambda lock: lock.until) if found else None


@transaction.atomic
def _count(kind: LoginThrottle.Kind, key: str, limit: int) -> Lock | None:
    now = timezone.now()
    row, _ = LoginThrottle.objects.select_for_update().get_or_create(
        key=key, defaults={"kind": kind, "window_started_at": now}
    )
    if row.locked_until is not None and row.locked_until > now:
        return Lock(kind, row.locked_until)  # not counted: the lock stays fixed
    window = timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    if row.locked_until is not None or now >= row.window_started_at + window:
        row.window_started_at, row.failures, row.locked_until = now, 0, None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    row.save(update_fields=["window_started_at", "failures", "locked_until"])
    return Lock(kind, row.locked_until) if row.locked_until else None


def count_lookup(request: HttpRequest, purpose: str, limit: int) -> Lock | None:
    """Count one use of a public lookup (a score by ID and ticket number)
    against the address, found or not: `limit` uses in one window are
    answered, the next is refused with the lock. Every use counts, so a found
    pair and a wrong one look alike."""
    ip = client_ip(request) or "unknown"
    return _count(
        LoginThrottle.Kind.ADDRESS, crypto.blind_index(f"{purpose}:{ip}"), limit + 1
    )


def clear_account(user: User) -> None:
    """Forget the account's failures (a successful login, a password reset)."""
    LoginThrottle.objects.filter(key=_account_key_of(user)).delete()


def forget_expired() -> int:
    """Delete the rows whose window and lock are over (the daily sweep): names
    tried once would otherwise stay for ever. Returns how many went."""
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    deleted, _ = (
        LoginThrottle.objects.filter(window_started_at__lt=now - window)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()
    )
    return deleted

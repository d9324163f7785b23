from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import (
    is_mobile_number,
    normalize_id_number,
    normalize_phone,
)
from gongkao.accounts.models import User


def normalize_login(raw: str) -> str:
    value = raw.strip()
    phone = normalize_phone(value)
    if is_mobile_number(phone):
        return phone
    if len(value.replace(" ", "")) == 18:
        return normalize_id_number(value)
    return value


def find_user_for_login(raw: str) -> User | None:
    """The account named by a phone number, an ID number or a staff username."""
    value = normalize_login(raw)
    if is_mobile_number(value):
        return User.objects.filter(phone_index=crypto.blind_index(value)).first()
    if len(value) == 18:
        return User.objects.filter(id_number_index=crypto.blind_index(value)).first()
    return User.objects.filter(username=value).first()


class PhoneOrIdNumberBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or not password:
            return None
        user = find_user_for_login(username)
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

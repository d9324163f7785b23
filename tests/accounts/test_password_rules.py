"""Issue #12 part 2: common password patterns are refused in Chinese, and a
first-login change must pick a new password."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory, make_id_number

PHONE = "13911112222"
ID_NUMBER = make_id_number("19750601", sex="F")


def _messages(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("gongkao2025", "常见单词"),
        ("Gongkao@2025", "常见单词"),
        ("2025gongkao!", "常见单词"),
        ("password123", "常见单词"),
        ("abcd1234", "常见单词"),
        ("qwer@1234", "常见单词"),
        ("abababab", "重复"),
        ("aaaa1111", "重复"),
        ("ab12ab12", "重复"),
        ("Xyz!Xyz!", "重复"),
        ("qwertyui", "键盘"),
        ("1qaz2wsx", "键盘"),
        ("asdfghjkl", "键盘"),
        ("zyxwvuts", "键盘"),
        ("my pass word9", "空格"),
        ("12345678", "数字"),
    ],
)
def test_common_patterns_are_refused_in_chinese(password, message):
    messages = _messages(password)
    assert any(message in m for m in messages), messages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password", [f"Ab!{PHONE}", f"{ID_NUMBER}z!", f"x-{ID_NUMBER.lower()}"]
)
def test_the_holders_own_numbers_are_refused(password):
    user = UserFactory(phone=PHONE)
    user.set_id_number(ID_NUMBER)
    assert "密码不能包含您的手机号或公民身份号码。" in _messages(password, user)


@pytest.mark.parametrize(
    "password", ["Secret-pass-123", "Xin-mima-2025", "焦作Tiger!58", "lan9Hua-qiu"]
)
def test_ordinary_passwords_pass(password):
    assert _messages(password) == []


@pytest.mark.django_db
def test_registration_refuses_the_id_number_inside_the_password(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "name": "李秀兰",
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "code": "123456",
            "new_password1": f"Li-{ID_NUMBER}",
            "new_password2": f"Li-{ID_NUMBER}",
            "pledge": "on",
        },
    )
    assert "密码不能包含您的手机号或公民身份号码。" in response.content.decode()


@pytest.mark.django_db
def test_first_login_change_must_pick_a_new_password(client):
    user = UserFactory(phone=PHONE, must_change_password=True)
    client.force_login(user)
    current = "Secret-pass-123"  # the factories' password
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": current, "new_password1": current, "new_password2": current},
    )
    assert "新密码不能与当前密码相同。" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password
    # A pattern is refused there too.
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": current,
            "new_password1": "gongkao2025",
            "new_password2": "gongkao2025",
        },
    )
    assert "常见单词" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(current)

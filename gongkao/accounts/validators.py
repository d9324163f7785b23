"""Passwords a guesser tries first are refused (AUTH_PASSWORD_VALIDATORS).

Django's own validators refuse short, all-digit and listed common
passwords; this one adds the patterns people here pick: the site's name and
a year (`gongkao2025`), repetitions (`abababab`), keyboard and alphabet runs
(`qwertyui`, `1qaz2wsx`), spaces, and the holder's own phone or ID number.
Messages are Chinese: users read them.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# Words tried with a year or digits appended: the site, the place, the usual.
COMMON_WORDS = frozenset(
    {
        "gongkao",
        "gongkaoban",
        "gk",
        "gkb",
        "kaoshi",
        "jiaozuo",
        "henan",
        "password",
        "passwd",
        "pass",
        "mima",
        "admin",
        "root",
        "user",
        "test",
        "welcome",
        "woaini",
        "iloveyou",
        "abc",
        "qwe",
        "asd",
        "zxc",
        "aaa",
        "a",
    }
)
# Runs read off a keyboard or the alphabet, in either direction.
RUNS = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "!@#$%^&*()",
)
MIN_RUN = 4
MIN_DISTINCT = 4


def is_repetition(value: str) -> bool:
    """`abababab`, `aaaaaaaa`, `12341234`, `abcabcab`: one short piece repeated."""
    return any(
        all(value[i] == value[i % n] for i in range(len(value)))
        for n in range(1, len(value) // 2 + 1)
    )


def is_run(value: str) -> bool:
    """A keyboard or alphabet run of at least MIN_RUN characters, or the
    same run repeated (`qwerqwer`), or steps of one (`13579` is not)."""
    if len(value) < MIN_RUN:
        return False
    for run in RUNS:
        if value in run or value in run[::-1]:
            return True
    steps = {ord(b) - ord(a) for a, b in zip(value, value[1:], strict=False)}
    return steps in ({1}, {-1})


def _is_run_or_repeat(value: str) -> bool:
    if is_run(value):
        return True
    return any(
        len(value) % n == 0
        and is_run(value[:n])
        and value == value[:n] * (len(value) // n)
        for n in range(MIN_RUN, len(value) // 2 + 1)
    )


class PatternPasswordValidator:
    def validate(self, password: str, user: Any = None) -> None:
        problems = self._problems(password, user)
        if problems:
            raise ValidationError(problems)

    def _problems(self, password: str, user: Any) -> list[str]:
        problems = []
        lowered = password.lower()
        if any(ch.isspace() for ch in password):
            problems.append("密码不能包含空格。")
        if len(set(lowered)) < MIN_DISTINCT or is_repetition(lowered):
            problems.append("密码不能是重复的字符或片段（如 abababab、aaaa1111）。")
        elif _is_run_or_repeat(lowered):
            problems.append(
                "密码不能是键盘或字母、数字的顺序（如 qwertyui、12345678）。"
            )
        else:
            letters = re.sub(r"[^a-z]", "", lowered)
            rest = re.sub(r"[a-z]", "", lowered)
            if rest and (letters in COMMON_WORDS or _is_run_or_repeat(letters)):
                problems.append(
                    "密码不能是常见单词或键盘顺序加数字、符号（如 gongkao2025、qwer@123）。"
                )
        for number in _numbers_of(user):
            if number.lower() in lowered:
                problems.append("密码不能包含您的手机号或公民身份号码。")
                break
        return problems

    def get_help_text(self) -> str:
        return (
            "不能包含空格、您的手机号或公民身份号码，不能是重复片段、"
            "键盘顺序或常见单词加数字。"
        )


def _numbers_of(user: Any) -> list[str]:
    numbers = []
    for attribute in ("phone", "id_number"):
        try:
            value = getattr(user, attribute, "") or ""
        except ValueError:  # unreadable ciphertext (another key)
            value = ""
        if value:
            numbers.append(str(value))
    return numbers

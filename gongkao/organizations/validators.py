"""Unified social credit code (统一社会信用代码, GB 32100-2015) check."""

from __future__ import annotations

from django.core.exceptions import ValidationError

_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_is_valid(code: str) -> bool:
    if len(code) != 18 or any(c not in _ALPHABET for c in code):
        return False
    total = sum(
        _ALPHABET.index(c) * w for c, w in zip(code[:17], _WEIGHTS, strict=True)
    )
    return _ALPHABET[(31 - total % 31) % 31] == code[17]


def with_check_character(first17: str) -> str:
    """Complete 17 characters with their check character (demo data, tests)."""
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + _ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if not credit_code_is_valid(value.upper()):
        raise ValidationError(
            "统一社会信用代码应为18位，且校验位正确。", code="credit_code"
        )

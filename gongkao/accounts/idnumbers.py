"""公民身份号码 (GB 11643-1999): check digit, birth date and sex. Pure Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The message is Chinese and can be shown to the user as it is."""


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "M" or "F", from the 17th digit (odd = male)

    @property
    def masked(self) -> str:
        return mask_id_number(self.value)


def normalize_id_number(raw: str) -> str:
    return raw.strip().replace(" ", "").upper()


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumber:
    """Validate an 18-digit ID number; raise InvalidIdNumber with the reason."""
    value = normalize_id_number(raw)
    if len(value) == 15 and value.isdigit():
        raise InvalidIdNumber("不支持15位旧身份证号码，请使用18位公民身份号码。")
    if not _SHAPE.match(value):
        raise InvalidIdNumber("公民身份号码应为18位：前17位为数字，最后一位为数字或X。")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("公民身份号码中的出生日期不存在，请核对。") from None
    if birth.year < 1900 or birth > (today or date.today()):
        raise InvalidIdNumber("公民身份号码中的出生日期不正确，请核对。")
    if check_digit(value[:17]) != value[17]:
        raise InvalidIdNumber("公民身份号码校验位不正确，请逐位核对。")
    return IdNumber(
        value=value, birth_date=birth, sex="M" if int(value[16]) % 2 else "F"
    )


def mask_id_number(value: str) -> str:
    """4108**********1234: region kept, birth date and sequence hidden."""
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


_PHONE = re.compile(r"^1[3-9]\d{9}$")


def normalize_phone(raw: str) -> str:
    value = raw.strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def is_mobile_number(value: str) -> bool:
    return bool(_PHONE.match(value))

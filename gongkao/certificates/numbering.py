"""Certificate numbers (pure): a pattern of the campaign's settings filled
with the year, the division code, the level and the office's sequence, and a
check character (ISO 7064 MOD 11-2, as in the ID number) over the digits, so
that a mistyped number is caught before it is looked up."""

from __future__ import annotations

import re
import string

DEFAULT_PATTERN = "{year}{division}{level}{seq:06d}"
FIELDS = {"year", "division", "level", "seq"}
_CHECK = "10X98765432"


class PatternError(ValueError):
    """A pattern that cannot number certificates; the message is Chinese."""


MAX_LENGTH = 60  # applications.HeldCertificate.number
_SEQ_SPEC = re.compile(r"^0?([1-9]|10)d$")


def check_pattern(pattern: str) -> None:
    if len(pattern) > 40:
        raise PatternError("编号格式过长（最多40个字符）。")
    try:
        parsed = [(f, spec) for _, f, spec, _ in string.Formatter().parse(pattern) if f]
    except ValueError:
        raise PatternError("编号格式的花括号不成对。") from None
    names = {f for f, _ in parsed}
    unknown = names - FIELDS
    if unknown:
        raise PatternError(
            f"编号格式只能使用{sorted(FIELDS)}，不认识：{sorted(unknown)}。"
        )
    if "seq" not in names or "division" not in names:
        raise PatternError("编号格式必须含有行政区划代码 {division} 和序号 {seq}。")
    for field, spec in parsed:
        if field == "seq" and spec and not _SEQ_SPEC.match(spec):
            raise PatternError("序号的格式只能写成 {seq} 或 {seq:06d}（1至10位）。")
        if field != "seq" and spec:
            raise PatternError("只有序号可以指定位数。")
    longest = fill(pattern, year=2025, division="410800", level=5, seq=10**10 - 1)
    if normalise(longest) != longest:
        raise PatternError("编号格式不能含有空格或小写字母（核验时按大写比对）。")
    if len(longest) > MAX_LENGTH:
        raise PatternError(f"按此格式，编号最长{len(longest)}位，超过{MAX_LENGTH}位。")


def check_character(digits: str) -> str:
    """MOD 11-2 over the digits of `digits` (other characters ignored)."""
    numbers = [int(c) for c in digits if c.isdigit()]
    weights = [pow(2, i, 11) for i in range(len(numbers), 0, -1)]
    return _CHECK[sum(n * w for n, w in zip(numbers, weights, strict=True)) % 11]


def fill(pattern: str, *, year: int, division: str, level: int, seq: int) -> str:
    """The number for `seq`, its check character appended."""
    body = pattern.format(year=year, division=division, level=level, seq=seq)
    return body + check_character(body)


def is_well_formed(number: str) -> bool:
    """The last character checks the digits before it."""
    number = normalise(number)
    return len(number) > 1 and check_character(number[:-1]) == number[-1]


def normalise(number: str) -> str:
    return re.sub(r"\s+", "", number).upper()

"""core.dates: one Chinese date format, shared with the eligibility engine."""

from __future__ import annotations

from datetime import date

import pytest

from gongkao.core.dates import chinese_date
from gongkao.eligibility.labels import cn_date


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 4, 3), "2025年4月3日"),
        (date(2025, 12, 31), "2025年12月31日"),
        (date(2008, 7, 1), "2008年7月1日"),
    ],
)
def test_chinese_date_uses_arabic_numerals_without_padding(day, text):
    assert chinese_date(day) == text


def test_chinese_date_is_the_eligibility_formatter():
    assert chinese_date is cn_date

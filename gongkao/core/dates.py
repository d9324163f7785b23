"""Dates as the notice writes them: `2025年4月3日` (GB/T 9704: Arabic numerals,
no leading zeros: 3月4日, never 03月04日).

One formatter for the whole project. The full date lives in the eligibility
engine (`labels.cn_date`, cached), which is a pure-Python library importing
nothing of gongkao; core re-exports it so that Django apps need not reach into
the rules engine. The eligibility package must never import core. Templates
use the filters of `core/templatetags/dates.py` (`cn_date`, `cn_month_day`).
"""

from __future__ import annotations

from datetime import date

from gongkao.eligibility.labels import cn_date as chinese_date

__all__ = ["chinese_date", "chinese_month", "chinese_month_day"]


def chinese_month_day(day: date) -> str:
    """`3月4日`: a date within the campaign's year."""
    return f"{day.month}月{day.day}日"


def chinese_month(day: date) -> str:
    """`2025年3月`."""
    return f"{day.year}年{day.month}月"

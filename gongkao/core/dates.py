"""Dates as the notice writes them: `2025年4月3日` (GB/T 9704: Arabic numerals).

One formatter for the whole project. It lives in the eligibility engine
(`labels.cn_date`, cached), which is a pure-Python library importing nothing
of gongkao; core re-exports it so that Django apps need not reach into the
rules engine. The eligibility package must never import core.
"""

from __future__ import annotations

from gongkao.eligibility.labels import cn_date as chinese_date

__all__ = ["chinese_date"]

# 二（六）不得申报的情形 ① and ②; ③ (other legal bars) is for the review chain.
from __future__ import annotations

from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import cn_date

_NOT_UNDER_INVESTIGATION = Check("2.6", True, "2.6 ① 无立案审查尚未结案情形")
_NO_SANCTION = Check("2.6", True, "2.6 ② 无党纪处分影响期或政务处分期")


def is_not_under_investigation(facts: Facts) -> Check:
    """2.6 ① 被立案审查尚未结案."""
    if facts.record.under_investigation:
        return Check("2.6", False, "2.6 ① 被立案审查尚未结案，不得申报")
    return _NOT_UNDER_INVESTIGATION


def is_not_under_sanction(facts: Facts) -> Check:
    """2.6 ② 尚在党纪处分影响期和政务处分期间 (still running on the as-of day)."""
    until = facts.record.sanction_until
    if until is None:
        return _NO_SANCTION
    if until >= facts.as_of:
        return Check(
            "2.6",
            False,
            f"2.6 ② 处分期至{cn_date(until)}，核查日{cn_date(facts.as_of)}"
            "尚在处分期间，不得申报",
        )
    return Check("2.6", True, f"2.6 ② 处分期已于{cn_date(until)}结束")

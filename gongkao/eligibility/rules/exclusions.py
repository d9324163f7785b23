# 二（六）不得申报的情形 ① and ②; ③ (other legal bars) is for the review chain.
from __future__ import annotations

from functools import lru_cache

from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import cn_date
from gongkao.eligibility.policy import Policy


@lru_cache(maxsize=64)
def _clear(policy: Policy) -> tuple[Check, Check]:
    """The two passing checks, built once per policy."""
    investigation = policy.clauses["exclusions.investigation"]
    sanction = policy.clauses["exclusions.sanction"]
    return (
        Check(investigation, True, f"{investigation} ① 无立案审查尚未结案情形"),
        Check(sanction, True, f"{sanction} ② 无党纪处分影响期或政务处分期"),
    )


def is_not_under_investigation(facts: Facts) -> Check:
    """2.6 ① 被立案审查尚未结案."""
    if facts.record.under_investigation:
        clause = facts.policy.clauses["exclusions.investigation"]
        return Check(clause, False, f"{clause} ① 被立案审查尚未结案，不得申报")
    return _clear(facts.policy)[0]


def is_not_under_sanction(facts: Facts) -> Check:
    """2.6 ② 尚在党纪处分影响期和政务处分期间 (still running on the as-of day)."""
    until = facts.record.sanction_until
    if until is None:
        return _clear(facts.policy)[1]
    clause = facts.policy.clauses["exclusions.sanction"]
    if until >= facts.as_of:
        return Check(
            clause,
            False,
            f"{clause} ② 处分期至{cn_date(until)}，核查日{cn_date(facts.as_of)}"
            "尚在处分期间，不得申报",
        )
    return Check(clause, True, f"{clause} ② 处分期已于{cn_date(until)}结束")

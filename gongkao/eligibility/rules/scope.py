# 一、考核对象和范围: who is assessed at all (1.1) and the retirement cut (1.2).
from __future__ import annotations

from datetime import date
from functools import lru_cache

from gongkao.eligibility.counting import add_months
from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import EMPLOYMENT_NAMES, cn_age, cn_date
from gongkao.eligibility.policy import Policy
from gongkao.eligibility.retirement import retirement_age_months


# Fixed wording is built once per policy, not per record.
@lru_cache(maxsize=64)
def _in_scope(policy: Policy) -> dict[str, Check]:
    clause = policy.clauses["scope.employment"]
    return {
        employment: Check(clause, True, f"{clause} 考核对象：{name}，属于考核对象")
        for employment, name in EMPLOYMENT_NAMES.items()
    }


def is_in_scope(facts: Facts) -> Check:
    """1.1 考核对象：在岗正式工作人员和聘用工作人员."""
    employment = facts.record.employment
    check = _in_scope(facts.policy).get(employment)
    if check is not None:
        return check
    clause = facts.policy.clauses["scope.employment"]
    return Check(
        clause,
        False,
        f"{clause} 考核对象：用工性质“{employment}”不属于在岗正式工作人员或聘用工作人员",
    )


def is_before_retirement(facts: Facts) -> Check:
    """1.2 已办理退休手续和通知下发前已达到退休年龄的人员不列入考核范围."""
    record = facts.record
    if record.retired:
        clause = facts.policy.clauses["scope.retirement"]
        return Check(clause, False, f"{clause} 已办理退休手续，不再列入考核范围")
    return _retirement_age_check(
        facts.policy, record.birth_date, record.retirement_group
    )


# A roster repeats birth dates: the check depends on nothing else of the record.
@lru_cache(maxsize=1 << 16)
def _retirement_age_check(policy: Policy, birth_date: date, group: str) -> Check:
    months = retirement_age_months(birth_date, policy.retirement_rules[group])
    day = add_months(birth_date, months)
    age = cn_age(months)
    clause = policy.clauses["scope.retirement"]
    if day < policy.notice_date:
        return Check(
            clause,
            False,
            f"{clause} 法定退休年龄{age}，已于{cn_date(day)}达到，"
            f"早于通知下发日{policy.notice_text}，不再列入考核范围",
        )
    if day <= policy.retirement_warning_until:
        return Check(
            clause,
            True,
            f"{clause} 法定退休年龄{age}，将于{cn_date(day)}达到，属本年度达到退休年龄人员",
            f"{clause} 将于{cn_date(day)}达到法定退休年龄（{age}），应了解单位岗位空缺和"
            "聘用政策后自主决定是否申报，并报单位同意",
        )
    return Check(
        clause,
        True,
        f"{clause} 法定退休年龄{age}，于{cn_date(day)}达到，本年度内未达到",
    )

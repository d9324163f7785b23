# Statutory retirement age and date under the 2025 gradual reform (1.2).
from __future__ import annotations

from datetime import date

from gongkao.eligibility.counting import add_months
from gongkao.eligibility.policy import RetirementRule


def retirement_age_months(birth_date: date, rule: RetirementRule) -> int:
    """Retirement age in months: base age plus one month per step of birth months.

    Born in the reform's first month (e.g. January 1965 for male_60) already
    gets one extra month; the delay stops at max_extra_months.
    """
    start = rule.reform_start
    months_after = (birth_date.year - start.year) * 12 + birth_date.month - start.month
    extra = 0
    if months_after >= 0:
        extra = min(months_after // rule.months_per_step + 1, rule.max_extra_months)
    return rule.base_age * 12 + extra


def retirement_date(birth_date: date, rule: RetirementRule) -> date:
    """The day the retirement age is reached (birthday of the age in months)."""
    return add_months(birth_date, retirement_age_months(birth_date, rule))

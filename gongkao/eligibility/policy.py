# A policy is every date and threshold one notice sets. The rules read only these
# fields, so a new year's notice is a new policy module, not a code change.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkao.eligibility.labels import cn_date


@dataclass(frozen=True, slots=True)
class RetirementRule:
    """Statutory retirement age of one group under the 2025 gradual reform."""

    base_age: int  # original age in years (60 / 55 / 50)
    reform_start: date  # first day of the first birth month the reform reaches
    months_per_step: int  # birth months per extra month of retirement age
    max_extra_months: int  # cap of the delay (36 = 3 years, 60 = 5 years)


@dataclass(frozen=True)
class Policy:
    policy_id: str
    title: str
    notice_date: date  # 通知下发日: retired before it = out of scope (1.2)
    reference_date: date  # 2.5: work years, years at level and ages count to it
    regularization_cutoff: date  # 2.2.1: 转正定级 on or before this day
    retirement_warning_until: date  # 1.2: retirement reached up to here = warning
    deferred_review_deadline: date  # 3.3: 容缺后补 annual reviews due by this day
    level5_work_years_below: int  # 2.2.1 工作年限不足N年
    level4_work_years: int  # 2.2.2 工作年限N年（含）以上
    level3_work_years: int  # 2.2.3
    level1_work_years: int  # 2.2.5.1
    years_at_level: int  # 本工种本等级工作满N年 / 证书满N年
    older_male_age: int  # 2.2.4.2 男N周岁以上
    older_female_age: int  # 2.2.4.2 女N周岁以上
    review_first_year: int  # 2.2.5.3 近5年: first year
    review_last_year: int  # 2.2.5.3 近5年: last year
    excellent_years: int  # 2.2.5.3 N年以上优秀
    max_competition_rank: int  # 2.4 / 2.2.5.5④ 三等奖以上
    max_patent_rank: int  # 2.2.5.5⑤ 名次在前N名
    inventions_needed: int  # 2.2.5.5⑤ 发明专利N项
    utility_models_needed: int  # 2.2.5.5⑤ 实用新型专利N项
    retirement_rules: dict[str, RetirementRule] = field(hash=False)

    # Derived once per policy so that no rule computes a date per record.
    count_end: date = field(init=False, compare=False)  # day after reference_date
    review_years: tuple[int, ...] = field(init=False, compare=False)
    notice_text: str = field(init=False, compare=False)
    reference_text: str = field(init=False, compare=False)
    cutoff_text: str = field(init=False, compare=False)
    deadline_text: str = field(init=False, compare=False)
    hash_value: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # N full years are complete when start + N years <= count_end (2.5).
        derived = {
            "count_end": self.reference_date + timedelta(days=1),
            "review_years": tuple(
                range(self.review_first_year, self.review_last_year + 1)
            ),
            "notice_text": cn_date(self.notice_date),
            "reference_text": cn_date(self.reference_date),
            "cutoff_text": cn_date(self.regularization_cutoff),
            "deadline_text": cn_date(self.deferred_review_deadline),
            # Equal policies share these fields, so they still hash alike.
            "hash_value": hash((self.policy_id, self.notice_date, self.reference_date)),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def __hash__(self) -> int:
        # Rules cache their checks by (policy, …) once per record: the generated
        # hash of every field cost a microsecond a lookup.
        return self.hash_value

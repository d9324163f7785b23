# A policy is every date, threshold, list and clause one notice sets. The rules
# read only these fields, so a new year's notice is a new policy file
# (policies/*.toml, read by policyfile.py), not a code change.
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from gongkao.eligibility.labels import cn_date

# The engine's own names for the conditions it checks. A policy maps each to the
# clause number of its notice and the notice's words, so a notice numbered
# differently needs no code.
CONDITION_IDS: tuple[str, ...] = (
    "scope.employment",
    "scope.retirement",
    "levels.above_held",
    "level5.regularized",
    "level5.work_years",
    "level4.lower_certificate",
    "level4.work_years",
    "level3.lower_certificate",
    "level3.work_years",
    "level2.lower_certificate",
    "level2.education",
    "level2.performance",
    "level1.work_years",
    "level1.lower_certificate",
    "level1.appointment",
    "level1.education",
    "level1.annual_reviews",
    "level1.mastery",
    "level1.exemption",
    "level1.special_talent",
    "level1.professional_technical",
    "job_type_change.order",
    "job_type_change.transfer",
    "honors.lower_certificate",
    "honors.promotion",
    "honors.theory_exam",
    "exclusions.investigation",
    "exclusions.sanction",
    "deferred_review.deadline",
    # Confirmed by the review chain, not computed; named for the review pages.
    "review.consent",
)


@dataclass(frozen=True, slots=True)
class RetirementRule:
    """Statutory retirement age of one group under the 2025 gradual reform."""

    base_age: int  # original age in years (60 / 55 / 50)
    reform_start: date  # first day of the first birth month the reform reaches
    months_per_step: int  # birth months per extra month of retirement age
    max_extra_months: int  # cap of the delay (36 = 3 years, 60 = 5 years)


@dataclass(frozen=True, slots=True)
class HonorRule:
    """One row of the honour table: which levels of a kind count, and how."""

    levels: frozenset[str]
    ranked: bool = False  # a competition prize counts only up to max_competition_rank
    item: str = ""  # 2.2.5.5's ①–④ for the level-1 exemption table


@dataclass(frozen=True, slots=True)
class Clause:
    """A condition's clause number in the notice and the notice's own words."""

    number: str
    text: str


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
    retirement_rules: Mapping[str, RetirementRule]
    required_education: frozenset[str]  # 2.2.4.2 / 2.2.5.2 技工院校或高中(含中专)以上
    education_rule_text: str  # how explanations quote that requirement
    passing_reviews: frozenset[str]  # 2.2.5.3 合格以上
    promotion_honors: Mapping[str, HonorRule]  # 2.4, by honour kind
    exemption_honors: Mapping[str, HonorRule]  # 2.2.5.5 ①–④, by honour kind
    conditions: Mapping[str, Clause]  # condition id -> clause of the notice
    content_hash: str = field(default="", compare=False)  # sha256 of the file

    # Derived once per policy so that no rule computes a date per record.
    count_end: date = field(init=False, compare=False)  # day after reference_date
    review_years: tuple[int, ...] = field(init=False, compare=False)
    notice_text: str = field(init=False, compare=False)
    reference_text: str = field(init=False, compare=False)
    cutoff_text: str = field(init=False, compare=False)
    deadline_text: str = field(init=False, compare=False)
    # condition id -> clause number, and clause number -> the notice's words.
    clauses: Mapping[str, str] = field(init=False, compare=False, repr=False)
    clause_texts: Mapping[str, str] = field(init=False, compare=False, repr=False)
    honor_route_kinds: frozenset[str] = field(init=False, compare=False, repr=False)
    hash_value: int = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Two conditions under one clause number (2.6 ① and ②) show both texts.
        texts: dict[str, dict[str, None]] = {}
        for clause in self.conditions.values():
            texts.setdefault(clause.number, {})[clause.text] = None
        clause_texts = {number: "\n".join(t) for number, t in texts.items()}
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
            "clauses": {key: clause.number for key, clause in self.conditions.items()},
            "clause_texts": clause_texts,
            # 绝招绝技绝活 is judged by a person, so it opens the route too.
            "honor_route_kinds": frozenset(self.promotion_honors) | {"special_talent"},
            # Equal policies share these fields, so they still hash alike.
            "hash_value": hash((self.policy_id, self.notice_date, self.reference_date)),
        }
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def __hash__(self) -> int:
        # Rules cache their checks by (policy, …) once per record: the generated
        # hash of every field cost a microsecond a lookup.
        return self.hash_value

    def clause_text(self, number: str) -> str:
        """The notice's words for a clause number, or "" when the policy has none."""
        return self.clause_texts.get(number, "")

# 焦人社函〔2025〕13号 (shared/seed/000_4458e11ed2cd972d.txt), with the conditions of
# 豫人社办〔2024〕19号 it refers to, and the 2025 retirement-age reform.
from __future__ import annotations

from datetime import date

from gongkao.eligibility.policy import Policy, RetirementRule

# 全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》(2024), in force 2025-01-01.
RETIREMENT_REFORM_2025 = {
    # 原法定退休年龄60周岁的男职工: +1 month per 4 birth months from 1965-01, to 63.
    "male_60": RetirementRule(60, date(1965, 1, 1), 4, 36),
    # 原55周岁的女职工: +1 month per 4 birth months from 1970-01, to 58.
    "female_55": RetirementRule(55, date(1970, 1, 1), 4, 36),
    # 原50周岁的女职工: +1 month per 2 birth months from 1975-01, to 55.
    "female_50": RetirementRule(50, date(1975, 1, 1), 2, 60),
}

POLICY = Policy(
    policy_id="2025-jiaozuo",
    title="焦作市2025年机关事业单位工勤技能岗位等级考核（焦人社函〔2025〕13号）",
    notice_date=date(2025, 2, 28),
    reference_date=date(2025, 12, 31),
    regularization_cutoff=date(2025, 9, 30),
    retirement_warning_until=date(2025, 12, 31),
    deferred_review_deadline=date(2025, 6, 30),
    level5_work_years_below=10,
    level4_work_years=10,
    level3_work_years=18,
    level1_work_years=25,
    years_at_level=5,
    older_male_age=50,
    older_female_age=45,
    review_first_year=2020,
    review_last_year=2024,
    excellent_years=2,
    max_competition_rank=3,
    max_patent_rank=5,
    inventions_needed=1,
    utility_models_needed=2,
    retirement_rules=RETIREMENT_REFORM_2025,
)

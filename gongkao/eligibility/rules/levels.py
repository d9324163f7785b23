# 二（二）各等级申报资格条件 (2.2.1–2.2.5), and 2.2 itself: one cannot apply again
# for a level already held.
from __future__ import annotations

from datetime import date
from functools import lru_cache

from gongkao.eligibility.counting import full_years
from gongkao.eligibility.facts import Check, Facts
from gongkao.eligibility.labels import (
    EDUCATION_NAMES,
    LEVEL_NAMES,
    REVIEW_NAMES,
    cn_date,
)
from gongkao.eligibility.policy import Policy

# The education lists, the passing reviews and the clause numbers are the
# policy's; the condition ids below are the engine's own.

# "通过X级考核并…满5年" for each applied level.
_LOWER_CERTIFICATE = {
    4: "level4.lower_certificate",
    3: "level3.lower_certificate",
    2: "level2.lower_certificate",
    1: "level1.lower_certificate",
}
_YEARS_ROUTE = {4: "level4.work_years", 3: "level3.work_years"}


_REFORM_SCOPE = "（因机构改革转换工种，各工种证书均计入）"


def _scope(facts: Facts) -> str:
    return _REFORM_SCOPE if facts.record.job_type_change == "reform" else "本工种"


@lru_cache(maxsize=64)
def _not_held(policy: Policy) -> dict[tuple[bool, int], Check]:
    clause = policy.clauses["levels.above_held"]
    return {
        (reform, level): Check(
            clause,
            True,
            f"{clause} 未持有{_REFORM_SCOPE if reform else '本工种'}{name}及以上等级证书",
        )
        for reform in (False, True)
        for level, name in LEVEL_NAMES.items()
    }


def _work_years_text(facts: Facts) -> str:
    return _work_years_since(facts.policy, facts.record.work_start_date)


@lru_cache(maxsize=1 << 16)  # a roster repeats start dates
def _work_years_since(policy: Policy, start: date) -> str:
    years = max(full_years(start, policy.count_end), 0)
    return (
        f"工作年限{years}年（{cn_date(start)}参加工作，计算至{policy.reference_text}）"
    )


def applies_above_held_level(facts: Facts) -> Check:
    """2.2: the applied level must be above every level held in the job type."""
    level = facts.record.applied_level
    held = facts.held
    if held and (top := min(held)) <= level:  # the highest level held
        clause = facts.policy.clauses["levels.above_held"]
        return Check(
            clause,
            False,
            f"{clause} 已持有{_scope(facts)}{LEVEL_NAMES[top]}证书"
            f"（{cn_date(facts.held[top])}），不能再申报{facts.applied_name}",
        )
    return _not_held(facts.policy)[facts.record.job_type_change == "reform", level]


def is_regularized_by_cutoff(facts: Facts) -> Check:
    """2.2.1 2025年9月30日前已转正定级."""
    day, policy = facts.record.regularized_date, facts.policy
    clause = policy.clauses["level5.regularized"]
    if day is None:
        return Check(clause, False, f"{clause} 尚未转正定级，不能申报五级")
    if day > policy.regularization_cutoff:
        return Check(
            clause,
            False,
            f"{clause} 转正定级时间{cn_date(day)}，晚于{policy.cutoff_text}",
        )
    return Check(
        clause,
        True,
        f"{clause} 已于{cn_date(day)}转正定级（{policy.cutoff_text}前）",
    )


def has_work_years_below_level5_limit(facts: Facts) -> Check:
    """2.2.1 工作年限不足10年."""
    return _level5_work_years_check(facts.policy, facts.record.work_start_date)


@lru_cache(maxsize=1 << 16)  # depends on the start date only
def _level5_work_years_check(policy: Policy, start: date) -> Check:
    limit = policy.level5_work_years_below
    clause = policy.clauses["level5.work_years"]
    text = _work_years_since(policy, start)
    if full_years(start, policy.count_end) < limit:
        return Check(clause, True, f"{clause} {text}，不足{limit}年")
    return Check(
        clause,
        False,
        f"{clause} {text}，已满{limit}年，不能申报五级（可按工作年限申报四级）",
    )


def has_lower_certificate_for_years(facts: Facts) -> Check:
    """2.2.2 / 2.2.3 / 2.2.4.1 / 2.2.5.1: 通过下一级考核并在本工种本等级工作满5年."""
    level, change = facts.record.applied_level, facts.record.job_type_change
    since = facts.level_since(level + 1)
    return _lower_certificate_check(facts.policy, level, since, change)


# The check depends on these values only, and a roster repeats them.
@lru_cache(maxsize=1 << 16)
def _lower_certificate_check(
    policy: Policy, level: int, since: date | None, change: str | None
) -> Check:
    clause = policy.clauses[_LOWER_CERTIFICATE[level]]
    name = LEVEL_NAMES[level + 1]
    scope = _REFORM_SCOPE if change == "reform" else "本工种"
    if since is None:
        return Check(clause, False, f"{clause} 未持有{scope}{name}证书")
    need = policy.years_at_level
    years = max(full_years(since, policy.count_end), 0)
    first = "首次" if change else ""
    text = (
        f"{clause} 持有{scope}{name}证书，自{first}取得之日{cn_date(since)}"
        f"起至{policy.reference_text}在本等级{years}年，"
    )
    if years >= need:
        return Check(clause, True, f"{text}满{need}年")
    return Check(clause, False, f"{text}不满{need}年")


def has_years_route_work_years(facts: Facts) -> Check:
    """2.2.2 / 2.2.3 或工作年限10年（含）/18年（含）以上."""
    level, start = facts.record.applied_level, facts.record.work_start_date
    return _years_route_check(facts.policy, level, start)


@lru_cache(maxsize=1 << 16)  # depends on the level and the start date only
def _years_route_check(policy: Policy, level: int, start: date) -> Check:
    clause = policy.clauses[_YEARS_ROUTE[level]]
    need = policy.level4_work_years if level == 4 else policy.level3_work_years
    text = _work_years_since(policy, start)
    if full_years(start, policy.count_end) >= need:
        return Check(
            clause,
            True,
            f"{clause} {text}，{need}年（含）以上，可按工作年限申报{LEVEL_NAMES[level]}",
        )
    return Check(clause, False, f"{clause} {text}，不足{need}年，不能按工作年限申报")


def has_level2_education(facts: Facts) -> Check:
    """2.2.4.2 技工院校或高中(含中专)以上; 技艺较高、年龄较大者可放宽到初中."""
    record, policy = facts.record, facts.policy
    education = record.education
    name = EDUCATION_NAMES[education]
    clause, rule = policy.clauses["level2.education"], policy.education_rule_text
    if education in policy.required_education:
        return Check(clause, True, f"{clause} 文化程度：{name}，符合{rule}要求")
    older = policy.older_male_age if record.gender == "M" else policy.older_female_age
    sex = "男" if record.gender == "M" else "女"
    age = f"{sex}，至{policy.reference_text}年满{max(facts.age, 0)}周岁"
    if education == "junior_middle" and facts.age >= older:
        # Age is computable; "技艺较高" is not, so a person decides.
        return Check(
            clause,
            None,
            f"{clause} 文化程度：初中；{age}（{sex}{older}周岁以上），"
            "“技艺较高”须人工审核后方可放宽到初中文化程度",
        )
    if education == "junior_middle":
        return Check(
            clause,
            False,
            f"{clause} 文化程度：初中；{age}，未达到放宽条件（{sex}{older}周岁以上）",
        )
    return Check(clause, False, f"{clause} 文化程度：{name}，不符合{rule}要求")


@lru_cache(maxsize=64)
def _outstanding_performance(policy: Policy) -> Check:
    clause = policy.clauses["level2.performance"]
    return Check(
        clause,
        None,
        f"{clause} 工作表现和业绩突出、具有独特技艺和传授技艺能力、"
        "能解决本工种重大技术操作问题，须人工审核",
    )


def has_outstanding_performance(facts: Facts) -> Check:
    """2.2.4.3 工作表现和业绩突出…: a judgement, never computed."""
    return _outstanding_performance(facts.policy)


def has_level1_work_years(facts: Facts) -> Check:
    """2.2.5.1 工作年限25年以上."""
    need = facts.policy.level1_work_years
    clause = facts.policy.clauses["level1.work_years"]
    if facts.work_years >= need:
        return Check(clause, True, f"{clause} {_work_years_text(facts)}，满{need}年")
    return Check(clause, False, f"{clause} {_work_years_text(facts)}，不满{need}年")


def is_appointed_to_level2(facts: Facts) -> Check:
    """2.2.5.1 已聘任至二级工勤技能岗位 (a level-1 appointment also counts)."""
    appointed = facts.record.appointed_level
    clause = facts.policy.clauses["level1.appointment"]
    if appointed is None:
        return Check(clause, False, f"{clause} 未聘任至二级工勤技能岗位")
    if appointed <= 2:
        return Check(
            clause,
            True,
            f"{clause} 已聘任至{LEVEL_NAMES[appointed]}工勤技能岗位",
        )
    return Check(
        clause,
        False,
        f"{clause} 现聘任{LEVEL_NAMES[appointed]}工勤技能岗位，未聘任至二级",
    )


def has_level1_education(facts: Facts) -> Check:
    """2.2.5.2 技工院校或高中(含中专)以上文化程度 (no relaxation for level 1)."""
    name, policy = EDUCATION_NAMES[facts.record.education], facts.policy
    clause, rule = policy.clauses["level1.education"], policy.education_rule_text
    if facts.record.education in policy.required_education:
        return Check(clause, True, f"{clause} 文化程度：{name}，符合{rule}要求")
    return Check(clause, False, f"{clause} 文化程度：{name}，不符合{rule}要求")


def has_good_annual_reviews(facts: Facts) -> Check:
    """2.2.5.3 近5年年度考核均为合格以上，且2年以上优秀或年度优秀共产党员."""
    reviews = facts.record.annual_reviews
    party_years = facts.record.excellent_party_member_years
    policy = facts.policy
    passing = policy.passing_reviews
    clause = policy.clauses["level1.annual_reviews"]
    parts: list[str] = []
    short: list[str] = []
    excellent = 0
    for year in policy.review_years:
        rating = reviews.get(year)
        if rating is None:
            short.append(f"{year}年缺少年度考核结果")
            parts.append(f"{year}年缺")
            continue
        if rating not in passing:
            short.append(f"{year}年{REVIEW_NAMES[rating]}")
        if rating == "excellent" or year in party_years:
            excellent += 1
        party = "、优秀共产党员" if year in party_years else ""
        parts.append(f"{year}年{REVIEW_NAMES[rating]}{party}")
    need = policy.excellent_years
    head = (
        f"{clause} {policy.review_first_year}—{policy.review_last_year}年年度考核："
        f"{'，'.join(parts)}；优秀等次（含优秀共产党员）{excellent}年"
    )
    if short:
        return Check(clause, False, f"{head}；未达到均为合格以上：{'，'.join(short)}")
    if excellent < need:
        return Check(clause, False, f"{head}，不足{need}年")
    return Check(clause, True, f"{head}，均为合格以上且{need}年以上优秀")


@lru_cache(maxsize=64)
def _masters_job_type(policy: Policy) -> Check:
    clause = policy.clauses["level1.mastery"]
    return Check(
        clause,
        None,
        f"{clause} 系统掌握本工种基础理论知识和操作技能、具有培训指导三级和二级的水平，"
        "须人工审核",
    )


def masters_job_type(facts: Facts) -> Check:
    """2.2.5.4 系统掌握本工种基础理论知识和操作技能…: a judgement."""
    return _masters_job_type(facts.policy)


def follows_professional_technical_rules(facts: Facts) -> Check | None:
    """2.2.5.6 专业技术人员申报一级，按国家和省有关规定执行."""
    if not facts.record.professional_technical:
        return None
    clause = facts.policy.clauses["level1.professional_technical"]
    return Check(
        clause,
        None,
        f"{clause} 专业技术人员申报一级考评，须按国家和省有关规定人工审核",
    )

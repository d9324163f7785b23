# 三（三）容缺后补: annual reviews filed later must be uploaded by the deadline.
from __future__ import annotations

from gongkao.eligibility.facts import Check, Facts


def has_filed_deferred_reviews(facts: Facts) -> Check | None:
    """3.3 备案后的年度考核结果应在截止日前上传，逾期视为资格审查不通过."""
    reviews, policy = facts.record.annual_reviews, facts.policy
    pending = [year for year in policy.review_years if reviews.get(year) == "pending"]
    if not pending:
        return None
    clause = policy.clauses["deferred_review.deadline"]
    years = "、".join(f"{year}年" for year in pending)
    if facts.as_of > policy.deferred_review_deadline:
        return Check(
            clause,
            False,
            f"{clause} {years}年度考核结果容缺后补，未在{policy.deadline_text}前上传，"
            "视为资格审查不通过",
        )
    return Check(
        clause,
        True,
        f"{clause} {years}年度考核结果容缺后补，暂按合格计",
        f"{clause} {years}年度考核结果须在{policy.deadline_text}前上传备案，"
        "逾期视为资格审查不通过",
    )

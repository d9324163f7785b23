"""二（六）不得申报 (2.6) and 三（三）容缺后补 annual reviews (3.3)."""

from __future__ import annotations

from datetime import date

import pytest

from .builders import GOOD_REVIEWS, applicant, check, level1_applicant, level2_applicant


def test_exclusion_under_investigation_fails() -> None:
    result = check(applicant(under_investigation=True))

    assert result.eligible is False
    assert result.failed == ("2.6",)
    assert "2.6 ① 被立案审查尚未结案，不得申报" in result.explanation


@pytest.mark.parametrize(
    ("until", "eligible"),
    [("2025-02-27", True), ("2025-02-28", False), ("2025-03-01", False)],
)
def test_exclusion_sanction_until_boundary(until: str, eligible: bool) -> None:
    result = check(applicant(sanction_until=until))

    assert result.eligible is eligible
    assert result.failed == (() if eligible else ("2.6",))


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [(date(2025, 5, 31), False), (date(2025, 6, 1), True)],
)
def test_exclusion_sanction_judged_on_as_of_day(as_of: date, eligible: bool) -> None:
    result = check(applicant(sanction_until="2025-05-31"), as_of=as_of)

    assert result.eligible is eligible


def _pending_2024() -> dict[str, str]:
    return {**GOOD_REVIEWS, "2024": "pending"}


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [
        (date(2025, 6, 29), True),
        (date(2025, 6, 30), True),  # the deadline itself
        (date(2025, 7, 1), False),
    ],
)
def test_deferred_review_deadline_boundary(as_of: date, eligible: bool) -> None:
    result = check(level1_applicant(annual_reviews=_pending_2024()), as_of=as_of)

    assert result.eligible is eligible
    if eligible:
        assert result.warnings == (
            "3.3 2024年年度考核结果须在2025年6月30日前上传备案，逾期视为资格审查不通过",
        )
    else:
        assert result.failed == ("3.3",)


def test_deferred_review_pending_counts_as_competent_not_excellent() -> None:
    competent = check(level1_applicant(annual_reviews=_pending_2024()))
    excellent_missing = check(
        level1_applicant(annual_reviews={**GOOD_REVIEWS, "2022": "pending"})
    )

    assert competent.eligible is True
    assert excellent_missing.eligible is False
    assert excellent_missing.failed == ("2.2.5.3",)


def test_deferred_review_not_checked_below_level1() -> None:
    result = check(level2_applicant(annual_reviews={"2024": "pending"}))

    assert result.eligible is True
    assert result.warnings == ()

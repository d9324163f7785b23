"""二（二）各等级申报资格条件: levels 5 to 1, every sub-item and boundary."""

from __future__ import annotations

from typing import Any

import pytest

from .builders import (
    GOOD_REVIEWS,
    OTHER_JOB,
    applicant,
    cert,
    check,
    explanation_for,
    level1_applicant,
    level2_applicant,
)


def level5_applicant(**overrides: Any) -> dict[str, Any]:
    record = applicant(
        applied_level=5,
        certificates=[],
        work_start_date="2018-07-01",
        regularized_date="2019-07-01",
    )
    record.update(overrides)
    return record


# 2.2: no second application for a level one already holds.


@pytest.mark.parametrize(
    ("certificates", "eligible"),
    [
        ([cert(5, "2015-06-01"), cert(4, "2020-01-01")], False),  # holds level 4
        ([cert(5, "2015-06-01"), cert(3, "2020-01-01")], False),  # holds higher
        ([cert(5, "2015-06-01"), cert(4, "2020-01-01", OTHER_JOB)], True),
    ],
)
def test_level_already_held_fails_2_2(
    certificates: list[dict[str, Any]], eligible: bool
) -> None:
    result = check(applicant(certificates=certificates))

    assert result.eligible is eligible
    assert ("2.2" in result.failed) is not eligible


# 2.2.1 level 5


def test_level5_regularized_recent_worker_is_eligible() -> None:
    result = check(level5_applicant())

    assert (result.eligible, result.route) == (True, "regular")


@pytest.mark.parametrize(
    ("regularized", "eligible"),
    [("2025-09-29", True), ("2025-09-30", True), ("2025-10-01", False)],
)
def test_level5_regularization_cutoff_boundary(
    regularized: str, eligible: bool
) -> None:
    result = check(level5_applicant(regularized_date=regularized))

    assert result.eligible is eligible
    assert ("2.2.1" in result.failed) is not eligible


def test_level5_not_regularized_fails() -> None:
    result = check(level5_applicant(regularized_date=None))

    assert result.failed == ("2.2.1",)
    assert "2.2.1 尚未转正定级，不能申报五级" in result.explanation


@pytest.mark.parametrize(
    ("work_start", "eligible"),
    [
        ("2015-12-31", False),  # 10 years on 2025-12-31: not 不足10年
        ("2016-01-01", False),  # exactly 10 years
        ("2016-01-02", True),  # 9 years
    ],
)
def test_level5_work_years_below_10_boundary(work_start: str, eligible: bool) -> None:
    result = check(level5_applicant(work_start_date=work_start))

    assert result.eligible is eligible


# 2.2.2 level 4 and 2.2.3 level 3: certificate route and years route.


@pytest.mark.parametrize(
    ("cert_date", "eligible"),
    [("2020-12-31", True), ("2021-01-01", True), ("2021-01-02", False)],
)
def test_level4_years_at_level5_boundary(cert_date: str, eligible: bool) -> None:
    result = check(
        applicant(work_start_date="2017-07-01", certificates=[cert(5, cert_date)])
    )

    assert result.eligible is eligible
    assert result.route == ("regular" if eligible else None)
    assert result.failed == (() if eligible else ("2.2.2",))


def test_level4_without_level5_certificate_fails() -> None:
    result = check(applicant(work_start_date="2017-07-01", certificates=[]))

    assert result.failed == ("2.2.2",)
    assert "2.2.2 未持有本工种五级证书" in result.explanation


@pytest.mark.parametrize(
    ("work_start", "eligible"),
    [("2015-12-31", True), ("2016-01-01", True), ("2016-01-02", False)],
)
def test_level4_years_route_boundary(work_start: str, eligible: bool) -> None:
    result = check(applicant(work_start_date=work_start, certificates=[]))

    assert result.eligible is eligible
    assert result.route == ("years" if eligible else None)


@pytest.mark.parametrize(
    ("cert_date", "eligible"),
    [("2020-12-31", True), ("2021-01-01", True), ("2021-01-02", False)],
)
def test_level3_years_at_level4_boundary(cert_date: str, eligible: bool) -> None:
    result = check(
        applicant(
            applied_level=3,
            certificates=[cert(5, "2012-01-01"), cert(4, cert_date)],
        )
    )

    assert result.eligible is eligible
    assert result.failed == (() if eligible else ("2.2.3",))


@pytest.mark.parametrize(
    ("work_start", "eligible"),
    [("2007-12-31", True), ("2008-01-01", True), ("2008-01-02", False)],
)
def test_level3_years_route_boundary(work_start: str, eligible: bool) -> None:
    result = check(
        applicant(applied_level=3, work_start_date=work_start, certificates=[])
    )

    assert result.eligible is eligible
    assert result.route == ("years" if eligible else None)


def test_level2_has_no_years_route() -> None:
    result = check(level2_applicant(work_start_date="1990-01-01", certificates=[]))

    assert result.eligible is False
    assert result.failed == ("2.2.4.1",)


# 2.2.4 level 2


@pytest.mark.parametrize(
    ("cert_date", "eligible"),
    [("2020-12-31", True), ("2021-01-01", True), ("2021-01-02", False)],
)
def test_level2_years_at_level3_boundary(cert_date: str, eligible: bool) -> None:
    result = check(level2_applicant(certificates=[cert(3, cert_date)]))

    assert result.eligible is eligible
    assert ("2.2.4.1" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("education", "outcome"),
    [
        ("primary", False),
        ("junior_middle", False),  # 45 years old: no relaxation
        ("high_school", True),
        ("secondary_vocational", True),
        ("technical_school", True),
        ("junior_college", True),
        ("bachelor", True),
        ("master", True),
        ("doctor", True),
    ],
)
def test_level2_education_requirement(education: str, outcome: bool) -> None:
    result = check(level2_applicant(education=education))

    assert result.eligible is outcome
    assert ("2.2.4.2" in result.failed) is not outcome


def test_level2_education_explanation_cites_clause() -> None:
    result = check(level2_applicant())

    assert explanation_for(result, "2.2.4.2") == [
        "2.2.4.2 文化程度：高中，符合“技工院校或高中(含中专)以上”要求"
    ]


@pytest.mark.parametrize(
    ("gender", "born", "relaxed"),
    [
        ("M", "1975-12-30", True),  # 50 on 2025-12-31 (birthday the day before)
        ("M", "1975-12-31", True),  # 50 on the reference day itself
        ("M", "1976-01-01", False),  # 49
        ("F", "1980-12-30", True),
        ("F", "1980-12-31", True),  # 45 on the reference day
        ("F", "1981-01-01", False),  # 44
    ],
)
def test_level2_junior_middle_older_age_boundary(
    gender: str, born: str, relaxed: bool
) -> None:
    result = check(
        level2_applicant(gender=gender, birth_date=born, education="junior_middle")
    )

    if relaxed:
        assert result.eligible is True
        assert result.manual_review == ("2.2.4.2", "2.2.4.3")
    else:
        assert result.eligible is False
        assert result.failed == ("2.2.4.2",)


def test_level2_performance_goes_to_manual_review() -> None:
    result = check(level2_applicant())

    assert (result.eligible, result.route) == (True, "regular")
    assert result.manual_review == ("2.2.4.3",)


# 2.2.5 level 1


def test_level1_regular_is_eligible_with_mastery_to_judge() -> None:
    result = check(level1_applicant())

    assert (result.eligible, result.route) == (True, "regular")
    assert result.manual_review == ("2.2.5.4",)
    assert result.theory_exam_exempt is False


@pytest.mark.parametrize(
    ("work_start", "eligible"),
    [("2000-12-31", True), ("2001-01-01", True), ("2001-01-02", False)],
)
def test_level1_work_years_25_boundary(work_start: str, eligible: bool) -> None:
    result = check(level1_applicant(work_start_date=work_start))

    assert result.eligible is eligible
    assert ("2.2.5.1" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("cert_date", "eligible"),
    [("2020-12-31", True), ("2021-01-01", True), ("2021-01-02", False)],
)
def test_level1_level2_certificate_5_years_boundary(
    cert_date: str, eligible: bool
) -> None:
    result = check(level1_applicant(certificates=[cert(2, cert_date)]))

    assert result.eligible is eligible
    assert ("2.2.5.1" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("appointed", "eligible"),
    [(None, False), (3, False), (2, True), (1, True)],
)
def test_level1_appointed_to_level2(appointed: int | None, eligible: bool) -> None:
    result = check(level1_applicant(appointed_level=appointed))

    assert result.eligible is eligible
    assert ("2.2.5.1" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("education", "eligible"),
    [
        ("junior_middle", False),  # no relaxation for level 1, even when older
        ("primary", False),
        ("technical_school", True),
        ("secondary_vocational", True),
        ("high_school", True),
    ],
)
def test_level1_education_requirement(education: str, eligible: bool) -> None:
    result = check(level1_applicant(education=education, birth_date="1966-01-01"))

    assert result.eligible is eligible
    assert ("2.2.5.2" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("reviews", "party_years", "eligible"),
    [
        (GOOD_REVIEWS, [], True),
        ({**GOOD_REVIEWS, "2023": "basic"}, [], False),
        ({**GOOD_REVIEWS, "2024": "incompetent"}, [], False),
        ({k: v for k, v in GOOD_REVIEWS.items() if k != "2021"}, [], False),
        ({**GOOD_REVIEWS, "2022": "competent"}, [], False),  # one excellent year
        ({**GOOD_REVIEWS, "2022": "competent"}, [2023], True),  # party member year
        ({**GOOD_REVIEWS, "2022": "competent"}, [2020], False),  # same year, once
        ({**GOOD_REVIEWS, "2022": "competent"}, [2019, 2025], False),  # outside
        ({**GOOD_REVIEWS, "2019": "incompetent", "2025": "basic"}, [], True),
    ],
)
def test_level1_annual_reviews_last_5_years(
    reviews: dict[str, str], party_years: list[int], eligible: bool
) -> None:
    result = check(
        level1_applicant(
            annual_reviews=reviews, excellent_party_member_years=party_years
        )
    )

    assert result.eligible is eligible
    assert ("2.2.5.3" in result.failed) is not eligible


def test_level1_missing_review_explained() -> None:
    reviews = {k: v for k, v in GOOD_REVIEWS.items() if k != "2021"}

    result = check(level1_applicant(annual_reviews=reviews))

    assert "2021年缺少年度考核结果" in explanation_for(result, "2.2.5.3")[0]


def test_level1_professional_technical_goes_to_manual_review() -> None:
    result = check(level1_applicant(professional_technical=True))

    assert result.eligible is True
    assert result.manual_review == ("2.2.5.4", "2.2.5.6")


def test_level2_professional_technical_flag_is_ignored() -> None:
    result = check(level2_applicant(professional_technical=True))

    assert result.manual_review == ("2.2.4.3",)

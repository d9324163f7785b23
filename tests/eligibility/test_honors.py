"""二（四）direct promotion and theory-exam exemption; 2.2.5.5 level-1 exemptions."""

from __future__ import annotations

from typing import Any

import pytest

from .builders import (
    applicant,
    cert,
    check,
    explanation_for,
    honor,
    level1_applicant,
    level2_applicant,
    patent,
)


def level3_by_honor(**overrides: Any) -> dict[str, Any]:
    """Level 4 held only 2 years and 15 years of work: neither regular nor years."""
    record = applicant(
        applied_level=3,
        certificates=[cert(5, "2012-01-01"), cert(4, "2023-05-01")],
    )
    record.update(overrides)
    return record


@pytest.mark.parametrize(
    ("award", "promoted"),
    [
        (honor("labor_model", "national", "2024-01-01"), True),
        (honor("labor_model", "provincial", "2024-01-01"), True),
        (honor("labor_model", "city", "2024-01-01"), False),
        (honor("may_day_medal", "provincial", "2024-01-01"), True),
        (honor("may_day_medal", "city", "2024-01-01"), False),
        (honor("technical_expert", "provincial", "2024-01-01"), True),
        (honor("technical_expert", "city", "2024-01-01"), False),
        (honor("competition", "provincial", "2024-01-01", 3), True),
        (honor("competition", "national", "2024-01-01", 1), True),
        (honor("competition", "provincial", "2024-01-01", 4), False),
        (honor("competition", "provincial", "2024-01-01"), False),  # rank unknown
        (honor("commendation", "national", "2024-01-01"), False),
    ],
)
def test_honor_promotion_qualifying_honours(
    award: dict[str, Any], promoted: bool
) -> None:
    result = check(level3_by_honor(honors=[award]))

    assert result.eligible is promoted
    assert result.route == ("honor_promotion" if promoted else None)


@pytest.mark.parametrize(
    ("on", "promoted"),
    [("2023-04-30", False), ("2023-05-01", False), ("2023-05-02", True)],
)
def test_honor_promotion_honor_date_after_certificate(on: str, promoted: bool) -> None:
    result = check(
        level3_by_honor(honors=[honor("technical_expert", "provincial", on)])
    )

    assert result.eligible is promoted
    assert ("2.4" in result.failed) is not promoted


def test_honor_promotion_special_talent_goes_to_manual_review() -> None:
    result = check(
        level3_by_honor(honors=[honor("special_talent", None, "2024-01-01")])
    )

    assert (result.eligible, result.route) == (True, "honor_promotion")
    assert result.manual_review == ("2.4",)


def test_honor_promotion_level2_still_needs_education() -> None:
    award = honor("technical_expert", "provincial", "2025-01-01")
    short = [cert(3, "2024-01-01")]

    passing = check(level2_applicant(certificates=short, honors=[award]))
    failing = check(
        level2_applicant(certificates=short, honors=[award], education="primary")
    )

    assert (passing.eligible, passing.route) == (True, "honor_promotion")
    assert passing.manual_review == ("2.2.4.3",)
    assert failing.eligible is False
    assert "2.2.4.2" in failing.failed


def test_honor_promotion_needs_lower_certificate() -> None:
    result = check(
        level3_by_honor(
            certificates=[],
            honors=[honor("technical_expert", "provincial", "2024-01-01")],
        )
    )

    assert result.eligible is False
    assert result.failed == ("2.2.3", "2.4")


def level1_exempt(**overrides: Any) -> dict[str, Any]:
    """Level 1 with only junior-middle education and no reviews: needs 2.2.5.5."""
    record = level1_applicant(education="junior_middle", annual_reviews={})
    record.update(overrides)
    return record


def test_exemption_absent_fails_education_and_reviews() -> None:
    result = check(level1_exempt(honors=[honor("labor_model", "county", "2020-01-01")]))

    assert result.eligible is False
    assert result.failed == ("2.2.5.2", "2.2.5.3", "2.2.5.5")


@pytest.mark.parametrize(
    ("award", "item"),
    [
        (honor("commendation", "city", "2020-01-01"), "①"),
        (honor("labor_model", "city", "2020-01-01"), "①"),
        (honor("department_commendation", "provincial", "2020-01-01"), "①"),
        (honor("may_day_medal", "national", "2020-01-01"), "②"),
        (honor("may_day_medal", "provincial", "2020-01-01"), "②"),
        (honor("technical_expert", "city", "2020-01-01"), "③"),
        (honor("competition", "city", "2020-01-01", 3), "④"),
        (honor("commendation", "county", "2020-01-01"), None),
        (honor("department_commendation", "city", "2020-01-01"), None),
        (honor("may_day_medal", "city", "2020-01-01"), None),
        (honor("technical_expert", "county", "2020-01-01"), None),
        (honor("competition", "city", "2020-01-01", 4), None),
    ],
)
def test_exemption_items_1_to_4(award: dict[str, Any], item: str | None) -> None:
    result = check(level1_exempt(honors=[award]))

    assert result.eligible is (item is not None)
    if item is not None:
        assert result.route == "exemption"
        assert explanation_for(result, "2.2.5.5")[0].startswith(f"2.2.5.5 {item} ")


@pytest.mark.parametrize(
    ("on", "exempt"),
    [("2017-04-30", False), ("2017-05-01", False), ("2017-05-02", True)],
)
def test_exemption_date_after_level2_certificate(on: str, exempt: bool) -> None:
    result = check(level1_exempt(honors=[honor("technical_expert", "city", on)]))

    assert result.eligible is exempt


@pytest.mark.parametrize(
    ("patents", "exempt"),
    [
        ([patent("invention", 5, "2020-01-01")], True),
        ([patent("invention", 6, "2020-01-01")], False),
        ([patent("invention", 1, "2020-01-01", related=False)], False),
        ([patent("invention", 1, "2016-01-01")], False),  # before the certificate
        ([patent("utility_model", 1, "2020-01-01")], False),
        (
            [
                patent("utility_model", 1, "2020-01-01"),
                patent("utility_model", 5, "2021-01-01"),
            ],
            True,
        ),
        (
            [
                patent("utility_model", 1, "2020-01-01"),
                patent("utility_model", 6, "2021-01-01"),
            ],
            False,
        ),
    ],
)
def test_exemption_item_5_patents(patents: list[dict[str, Any]], exempt: bool) -> None:
    result = check(level1_exempt(patents=patents))

    assert result.eligible is exempt
    assert result.route == ("exemption" if exempt else None)


def test_exemption_special_talent_goes_to_manual_review() -> None:
    result = check(level1_exempt(honors=[honor("special_talent", None, "2020-01-01")]))

    assert (result.eligible, result.route) == (True, "exemption")
    # The same special talent also asks a person about the theory exam (2.4).
    assert result.manual_review == ("2.2.5.5.6", "2.2.5.4", "2.4")


def test_exemption_still_needs_work_years_and_appointment() -> None:
    result = check(
        level1_exempt(
            honors=[honor("technical_expert", "city", "2020-01-01")],
            appointed_level=3,
            work_start_date="2005-01-01",
        )
    )

    assert result.eligible is False
    assert result.failed == ("2.2.5.1", "2.2.5.2", "2.2.5.3")


@pytest.mark.parametrize(
    ("awards", "exempt", "manual"),
    [
        ([honor("technical_expert", "provincial", "2020-01-01")], True, ("2.2.5.4",)),
        ([honor("competition", "national", "2020-01-01", 2)], True, ("2.2.5.4",)),
        ([honor("technical_expert", "city", "2020-01-01")], False, ("2.2.5.4",)),
        ([honor("technical_expert", "provincial", "2016-01-01")], False, ("2.2.5.4",)),
        ([honor("special_talent", None, "2020-01-01")], False, ("2.2.5.4", "2.4")),
    ],
)
def test_theory_exam_exempt_level1(
    awards: list[dict[str, Any]], exempt: bool, manual: tuple[str, ...]
) -> None:
    result = check(level1_applicant(honors=awards))

    assert (result.eligible, result.route) == (True, "regular")
    assert result.theory_exam_exempt is exempt
    assert result.manual_review == manual


def test_theory_exam_exempt_only_when_eligible() -> None:
    result = check(
        level1_applicant(
            honors=[honor("technical_expert", "provincial", "2020-01-01")],
            appointed_level=3,
        )
    )

    assert result.eligible is False
    assert result.theory_exam_exempt is False

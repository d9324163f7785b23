"""How checks combine into a Result: routes in order, failed, manual review."""

from __future__ import annotations

import re

from .builders import applicant, cert, check, honor, level1_applicant

CLAUSE_LINE = re.compile(r"^\d(\.\d+)* \S")


def test_result_route_regular_before_years() -> None:
    result = check(applicant())  # both routes hold: certificate and 15 years

    assert result.route == "regular"
    assert result.failed == ()


def test_result_failed_lists_common_and_every_route() -> None:
    result = check(
        applicant(
            applied_level=3,
            employment="临时",
            under_investigation=True,
            certificates=[],
            honors=[honor("technical_expert", "provincial", "2024-01-01")],
        )
    )

    assert result.eligible is False
    assert result.route is None
    assert result.failed == ("1.1", "2.6", "2.2.3", "2.4")


def test_result_route_null_when_common_condition_fails() -> None:
    result = check(applicant(under_investigation=True))

    assert (result.eligible, result.route) == (False, None)
    assert result.failed == ("2.6",)


def test_result_manual_review_only_from_chosen_route_when_eligible() -> None:
    # Regular passes for level 1; the exemption route's 2.2.5.5.6 is not asked.
    result = check(
        level1_applicant(honors=[honor("special_talent", None, "2016-01-01")])
    )

    assert result.route == "regular"
    assert result.manual_review == ("2.2.5.4",)


def test_result_explanation_lines_cite_clause_ids() -> None:
    results = [
        check(applicant()),
        check(applicant(certificates=[], work_start_date="2020-01-01", retired=True)),
        check(level1_applicant(annual_reviews={"2024": "pending"})),
    ]

    for result in results:
        assert result.explanation
        for line in result.explanation:
            assert CLAUSE_LINE.match(line), line


def test_result_explanation_has_no_duplicate_lines() -> None:
    result = check(
        level1_applicant(
            education="primary", honors=[honor("labor_model", "city", "2020-01-01")]
        )
    )

    assert result.route == "exemption"
    assert len(result.explanation) == len(set(result.explanation))


def test_result_common_explanations_come_first() -> None:
    result = check(applicant(certificates=[cert(5, "2015-06-01")]))

    assert [line.split(" ")[0] for line in result.explanation] == [
        "1.1",
        "1.2",
        "2.6",
        "2.6",
        "2.2",
        "2.2.2",
    ]

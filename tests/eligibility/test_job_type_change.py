"""二（三）转换岗位工种: voluntary change, change by institutional reform."""

from __future__ import annotations

import pytest

from .builders import (
    OTHER_JOB,
    applicant,
    cert,
    check,
    explanation_for,
    level2_applicant,
)


def test_job_type_change_absent_other_job_certificates_do_not_count() -> None:
    result = check(
        applicant(
            work_start_date="2017-07-01",
            certificates=[cert(5, "2015-06-01", OTHER_JOB)],
        )
    )

    assert result.eligible is False
    assert result.failed == ("2.2.2",)


def test_job_type_change_reform_counts_every_job_type() -> None:
    result = check(
        applicant(
            work_start_date="2017-07-01",
            certificates=[cert(5, "2015-06-01", OTHER_JOB)],
            job_type_change="reform",
        )
    )

    assert (result.eligible, result.route) == (True, "regular")
    assert explanation_for(result, "2.3")[0].startswith("2.3 因机构改革转换工种")


def test_job_type_change_reform_already_held_level_fails() -> None:
    result = check(
        applicant(
            certificates=[cert(5, "2015-06-01"), cert(4, "2021-06-01", OTHER_JOB)],
            job_type_change="reform",
        )
    )

    assert result.eligible is False
    assert "2.2" in result.failed


def test_job_type_change_voluntary_same_level_is_transfer() -> None:
    # Level 3 held in the old job type, 15 years of work (< 18): only 2.3 (a).
    result = check(
        applicant(
            applied_level=3,
            certificates=[
                cert(4, "2012-01-01", OTHER_JOB),
                cert(3, "2019-01-01", OTHER_JOB),
            ],
            job_type_change="voluntary",
        )
    )

    assert (result.eligible, result.route) == (True, "job_type_transfer")


def test_job_type_change_voluntary_level2_transfer_keeps_education() -> None:
    result = check(
        level2_applicant(
            certificates=[cert(2, "2024-01-01", OTHER_JOB)],
            job_type_change="voluntary",
            education="primary",
        )
    )

    assert result.eligible is False
    assert "2.2.4.2" in result.failed


def test_job_type_change_voluntary_one_level_up_needs_current_level_in_new_type() -> (
    None
):
    result = check(
        level2_applicant(
            certificates=[cert(3, "2015-01-01", OTHER_JOB)],
            job_type_change="voluntary",
        )
    )

    assert result.eligible is False
    assert result.failed == ("2.3", "2.2.4.1")


@pytest.mark.parametrize(
    ("first_level3", "eligible"),
    [("2020-12-31", True), ("2021-01-01", True), ("2021-01-02", False)],
)
def test_job_type_change_voluntary_years_from_first_certificate_any_type(
    first_level3: str, eligible: bool
) -> None:
    # Level 3 in the new job type only since 2024; the 5 years run from the
    # first level-3 certificate in any job type (2.3).
    result = check(
        level2_applicant(
            certificates=[cert(3, first_level3, OTHER_JOB), cert(3, "2024-01-01")],
            job_type_change="voluntary",
        )
    )

    assert result.eligible is eligible
    assert result.route == ("regular" if eligible else None)


def test_job_type_change_voluntary_years_route_does_not_bypass() -> None:
    record = applicant(
        applied_level=3,
        work_start_date="2000-01-01",
        certificates=[cert(5, "2005-01-01", OTHER_JOB)],
    )

    without_change = check(record)
    voluntary = check({**record, "job_type_change": "voluntary"})

    assert (without_change.eligible, without_change.route) == (True, "years")
    assert voluntary.eligible is False
    assert voluntary.failed[0] == "2.3"


def test_job_type_change_voluntary_lower_level_fails() -> None:
    result = check(
        applicant(
            certificates=[cert(3, "2018-01-01", OTHER_JOB)],
            job_type_change="voluntary",
        )
    )

    assert result.eligible is False
    assert result.failed[0] == "2.3"


def test_job_type_change_voluntary_without_certificates_is_unconstrained() -> None:
    result = check(
        applicant(
            applied_level=5,
            certificates=[],
            work_start_date="2018-07-01",
            job_type_change="voluntary",
        )
    )

    assert (result.eligible, result.route) == (True, "regular")

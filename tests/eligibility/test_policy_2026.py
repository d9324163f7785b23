"""2026-jiaozuo.toml: a notice that differs only in dates is one new file.

A day before and after each reference date of the 2026 file; no code knows 2026.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gongkao.eligibility import get_policy
from gongkao.eligibility.policies import FOLDER

from .builders import GOOD_REVIEWS, applicant, check, level1_applicant

POLICY_2026 = get_policy("2026-jiaozuo")


def test_policy_2026_is_one_file_differing_in_dates_only() -> None:
    lines_2025 = (FOLDER / "2025-jiaozuo.toml").read_text("utf-8").splitlines()
    lines_2026 = (FOLDER / "2026-jiaozuo.toml").read_text("utf-8").splitlines()
    data = [line for line in lines_2026 if line and not line.startswith("#")]
    changed = [line for line in data if line not in lines_2025]

    # id, title, 5 dates, 2 review years, 4 clause texts quoting a date
    assert len(changed) == 13
    assert all("2026" in line or "2021" in line or "2025" in line for line in changed)
    assert not any(
        path.suffix == ".py" and "2026" in path.read_text("utf-8")
        for path in Path(FOLDER).parent.rglob("*.py")
    )


@pytest.mark.parametrize(
    ("work_start", "eligible"),
    [("2017-01-01", True), ("2017-01-02", False)],
)
def test_policy_2026_reference_date_counts_work_years(
    work_start: str, eligible: bool
) -> None:
    # 2.5: 10 full years by the end of 2026-12-31 open the years route to level 4.
    result = check(applicant(work_start_date=work_start, certificates=[]), POLICY_2026)

    assert result.eligible is eligible
    assert result.failed == (() if eligible else ("2.2.2",))


@pytest.mark.parametrize(
    ("regularized", "eligible"),
    [("2026-09-29", True), ("2026-09-30", True), ("2026-10-01", False)],
)
def test_policy_2026_regularization_cutoff(regularized: str, eligible: bool) -> None:
    record = applicant(
        applied_level=5,
        certificates=[],
        work_start_date="2024-07-01",
        regularized_date=regularized,
    )

    result = check(record, POLICY_2026)

    assert result.eligible is eligible
    assert result.failed == (() if eligible else ("2.2.1",))


@pytest.mark.parametrize(
    ("birth_date", "in_scope"),
    # male_60 reaches 60 years 3 months on these days: 2026-02-26 and 2026-02-27.
    [("1965-11-26", False), ("1965-11-27", True)],
)
def test_policy_2026_notice_date_cuts_retirement(
    birth_date: str, in_scope: bool
) -> None:
    result = check(applicant(birth_date=birth_date), POLICY_2026)

    assert result.eligible is in_scope
    assert ("1.2" in result.failed) is not in_scope


@pytest.mark.parametrize(
    ("birth_date", "warned"),
    # male_60 at 60 years 5 months: 2026-12-31 (warned) and 2027-01-01 (not).
    [("1966-07-31", True), ("1966-08-01", False)],
)
def test_policy_2026_retirement_warning_until(birth_date: str, warned: bool) -> None:
    result = check(applicant(birth_date=birth_date), POLICY_2026)

    assert result.eligible is True
    assert any(line.startswith("1.2 ") for line in result.warnings) is warned


@pytest.mark.parametrize(
    ("as_of", "eligible"),
    [(date(2026, 6, 29), True), (date(2026, 6, 30), True), (date(2026, 7, 1), False)],
)
def test_policy_2026_deferred_review_deadline(as_of: date, eligible: bool) -> None:
    reviews = {**GOOD_REVIEWS, "2020": "incompetent", "2021": "excellent"}
    reviews["2025"] = "pending"
    record = level1_applicant(annual_reviews=reviews)

    result = check(record, POLICY_2026, as_of=as_of)

    assert result.eligible is eligible
    assert ("3.3" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("year", "rating", "eligible"),
    [("2020", "incompetent", True), ("2021", "incompetent", False)],
)
def test_policy_2026_review_years_2021_to_2025(
    year: str, rating: str, eligible: bool
) -> None:
    reviews = {**GOOD_REVIEWS, "2022": "excellent", "2025": "excellent", year: rating}

    result = check(level1_applicant(annual_reviews=reviews), POLICY_2026)

    assert result.eligible is eligible


def test_policy_2026_quotes_its_own_dates() -> None:
    assert "2026年9月30日前已转正定级" in POLICY_2026.clause_text("2.2.1")
    result = check(
        applicant(certificates=[], work_start_date="2016-06-01"), POLICY_2026
    )
    assert any("计算至2026年12月31日" in line for line in result.explanation)

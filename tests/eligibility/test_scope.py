"""一、考核对象和范围: scope (1.1) and retirement under the 2025 reform (1.2)."""

from __future__ import annotations

from datetime import date

import pytest

from gongkao.eligibility.counting import add_months, full_years
from gongkao.eligibility.retirement import retirement_age_months, retirement_date

from .builders import POLICY, applicant, check, explanation_for


@pytest.mark.parametrize(
    ("employment", "eligible"),
    [("formal", True), ("contract", True), ("临时", False), ("dispatched", False)],
)
def test_scope_employment_in_or_out(employment: str, eligible: bool) -> None:
    result = check(applicant(employment=employment))

    assert result.eligible is eligible
    assert ("1.1" in result.failed) is not eligible


@pytest.mark.parametrize(
    ("group", "born", "months"),
    [
        ("male_60", date(1964, 12, 15), 60 * 12),
        ("male_60", date(1965, 1, 15), 60 * 12 + 1),
        ("male_60", date(1965, 4, 15), 60 * 12 + 1),
        ("male_60", date(1965, 5, 15), 60 * 12 + 2),
        ("male_60", date(1970, 1, 15), 61 * 12 + 4),
        ("male_60", date(1976, 8, 15), 62 * 12 + 11),
        ("male_60", date(1976, 9, 15), 63 * 12),
        ("male_60", date(1990, 1, 15), 63 * 12),
        ("female_55", date(1969, 12, 15), 55 * 12),
        ("female_55", date(1970, 1, 15), 55 * 12 + 1),
        ("female_55", date(1981, 8, 15), 57 * 12 + 11),
        ("female_55", date(1981, 9, 15), 58 * 12),
        ("female_50", date(1974, 12, 15), 50 * 12),
        ("female_50", date(1975, 1, 15), 50 * 12 + 1),
        ("female_50", date(1975, 2, 15), 50 * 12 + 1),
        ("female_50", date(1975, 3, 15), 50 * 12 + 2),
        ("female_50", date(1984, 10, 15), 54 * 12 + 11),
        ("female_50", date(1984, 11, 15), 55 * 12),
        ("female_50", date(1995, 1, 15), 55 * 12),
    ],
)
def test_retirement_age_months_follows_reform_table(
    group: str, born: date, months: int
) -> None:
    assert retirement_age_months(born, POLICY.retirement_rules[group]) == months


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        (date(1965, 1, 15), date(2025, 2, 15)),
        (date(1965, 1, 31), date(2025, 2, 28)),  # no 31 February: month end
        (date(1966, 12, 31), date(2027, 6, 30)),  # 60y6m, no 31 June
    ],
)
def test_retirement_date_clamps_to_month_end(born: date, expected: date) -> None:
    assert retirement_date(born, POLICY.retirement_rules["male_60"]) == expected


def test_add_months_beyond_year_9999_is_date_max() -> None:
    assert add_months(date(9990, 1, 1), 63 * 12) == date.max


@pytest.mark.parametrize(
    ("born", "retires", "eligible"),
    [
        ("1965-01-27", "2025年2月27日", False),  # the day before the notice
        ("1965-01-28", "2025年2月28日", True),  # on the notice date
        ("1965-02-01", "2025年3月1日", True),  # the day after
    ],
)
def test_retirement_notice_date_boundary(
    born: str, retires: str, eligible: bool
) -> None:
    result = check(applicant(birth_date=born))

    assert result.eligible is eligible
    assert ("1.2" in result.failed) is not eligible
    assert retires in explanation_for(result, "1.2")[0]
    assert bool(result.warnings) is eligible


@pytest.mark.parametrize(
    ("gender", "born", "warned"),
    [
        ("F", "1975-08-30", True),  # female_50: 50y4m -> 2025-12-30
        ("F", "1975-08-31", True),  # -> 2025-12-31, the last day of the year
        ("M", "1965-10-01", False),  # male_60: 60y3m -> 2026-01-01
    ],
)
def test_retirement_warning_until_boundary(
    gender: str, born: str, warned: bool
) -> None:
    result = check(applicant(gender=gender, birth_date=born))

    assert result.eligible is True
    assert [w[:4] for w in result.warnings] == (["1.2 "] if warned else [])


def test_retirement_already_retired_excluded() -> None:
    result = check(applicant(retired=True))

    assert result.eligible is False
    assert result.failed == ("1.2",)
    assert explanation_for(result, "1.2") == ["1.2 已办理退休手续，不再列入考核范围"]


def test_retirement_group_female_55_applies_cadre_age() -> None:
    # Born May 1970: female_55 retires at 55y2m (2025-07), female_50 long ago.
    cadre = check(
        applicant(gender="F", birth_date="1970-05-10", retirement_group="female_55")
    )
    worker = check(applicant(gender="F", birth_date="1970-05-10"))

    assert cadre.eligible is True
    assert cadre.warnings[0].startswith(
        "1.2 将于2025年7月10日达到法定退休年龄（55岁2个月）"
    )
    assert worker.failed == ("1.2",)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (date(2016, 1, 1), date(2026, 1, 1), 10),
        (date(2016, 1, 2), date(2026, 1, 1), 9),
        (date(2015, 12, 31), date(2026, 1, 1), 10),
        (date(2016, 2, 29), date(2017, 2, 28), 0),
        (date(2016, 2, 29), date(2017, 3, 1), 1),
        (date(2027, 1, 1), date(2026, 1, 1), -1),
    ],
)
def test_full_years_counts_whole_years(start: date, end: date, years: int) -> None:
    assert full_years(start, end) == years

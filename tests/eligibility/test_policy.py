"""The policy is data: a 2026 notice is a new Policy value, not a code change."""

from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest

import gongkao.eligibility as eligibility
from gongkao.eligibility import Policy

from .builders import GOOD_REVIEWS, POLICY, applicant, check, level1_applicant

POLICY_2026: Policy = dataclasses.replace(
    POLICY,
    policy_id="2026-test",
    title="2026年测试政策",
    notice_date=date(2026, 2, 27),
    reference_date=date(2026, 12, 31),
    regularization_cutoff=date(2026, 9, 30),
    retirement_warning_until=date(2026, 12, 31),
    deferred_review_deadline=date(2026, 6, 30),
    review_first_year=2021,
    review_last_year=2025,
)


def test_policy_derived_values_follow_dates() -> None:
    assert POLICY.count_end == date(2026, 1, 1)
    assert POLICY.review_years == (2020, 2021, 2022, 2023, 2024)
    assert POLICY_2026.count_end == date(2027, 1, 1)
    assert POLICY_2026.review_years == (2021, 2022, 2023, 2024, 2025)


@pytest.mark.parametrize(
    ("record", "outcome_2025", "outcome_2026"),
    [
        # 2.2.2 years route: 9 years by 2025-12-31, 10 by 2026-12-31.
        (applicant(work_start_date="2017-01-01", certificates=[]), False, True),
        # 2.2.1 regularized on 2025-10-01: after the 2025 cut-off, before 2026's.
        (
            applicant(
                applied_level=5,
                certificates=[],
                work_start_date="2024-07-01",
                regularized_date="2025-10-01",
            ),
            False,
            True,
        ),
        # 1.2: retires 2026-02-01 (60y3m): in scope for 2025, not for 2026.
        (applicant(birth_date="1965-11-01"), True, False),
        # 2.2.5.3: 2020 basic is outside 2021-2025; 2025 must now be present.
        (
            level1_applicant(
                annual_reviews={**GOOD_REVIEWS, "2020": "basic", "2025": "excellent"}
            ),
            False,
            True,
        ),
    ],
)
def test_policy_2026_shifts_results_without_code_change(
    record: dict[str, object], outcome_2025: bool, outcome_2026: bool
) -> None:
    assert check(record).eligible is outcome_2025
    assert check(record, POLICY_2026).eligible is outcome_2026


def test_policy_2026_explanations_use_its_dates() -> None:
    result = check(
        applicant(certificates=[], work_start_date="2017-01-01"), POLICY_2026
    )

    assert result.route == "years"
    assert any("计算至2026年12月31日" in line for line in result.explanation)


def _docstrings(tree: ast.AST) -> set[int]:
    nodes = [tree, *ast.walk(tree)]
    return {
        id(node.body[0].value)
        for node in nodes
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def test_rules_contain_no_policy_dates() -> None:
    # Only policies/ may hold years; docstrings may quote the notice.
    package = Path(eligibility.__file__).parent
    year = re.compile(r"(19|20)[0-9]{2}")
    offenders = []
    for path in package.rglob("*.py"):
        if "policies" in path.parts:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in skip:
                continue
            value = node.value
            if (type(value) is int and 1900 <= value <= 2100) or (
                isinstance(value, str) and year.search(value)
            ):
                offenders.append(f"{path.name}:{node.lineno}: {value!r}")

    assert offenders == []

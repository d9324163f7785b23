"""Policy files: the schema names every bad field; the texts are the notice's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gongkao.eligibility import get_policy
from gongkao.eligibility.policies import FOLDER, load_policy_file, shipped_policy_text
from gongkao.eligibility.policy import CONDITION_IDS
from gongkao.eligibility.policyfile import (
    PolicyFileError,
    content_hash,
    load_policy_text,
)

from .builders import applicant
from .test_cli import run_cli

# The notice as published (此件主动公开), kept beside the docs.
NOTICE = Path(__file__).resolve().parents[2] / "docs" / "notices" / "2025-jiaozuo.txt"
TEXT_2025 = shipped_policy_text("2025-jiaozuo")


def _errors(text: str) -> list[str]:
    with pytest.raises(PolicyFileError) as caught:
        load_policy_text(text)
    return caught.value.errors


def test_shipped_policy_loads_with_its_hash() -> None:
    policy = load_policy_text(TEXT_2025)

    assert policy == get_policy("2025-jiaozuo")
    assert policy.content_hash == content_hash(TEXT_2025)
    assert set(policy.conditions) == set(CONDITION_IDS)
    assert policy.clauses["level2.performance"] == "2.2.4.3"


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "level4_work_years = 10",
            'level4_work_years = "十"',
            "thresholds.level4_work_years: 须为整数",
        ),
        (
            "level4_work_years = 10",
            "level4_work_years = 1.5",
            "thresholds.level4_work_years: 须为整数",
        ),
        ("level4_work_years = 10\n", "", "thresholds.level4_work_years: 缺少此项"),
        (
            "notice_date = 2025-02-28",
            'notice_date = "2025-02-28"',
            "dates.notice_date: 须为日期（YYYY-MM-DD，不加引号）",
        ),
        (
            "review_last_year = 2024",
            "review_last_year = 2019",
            "thresholds.review_last_year: 不得早于 review_first_year",
        ),
        (
            'policy_id = "2025-jiaozuo"',
            'policy_id = "焦作"',
            "policy_id: 须为 2 至 40 位小写字母、数字或连字符，如 jiaozuo-draft",
        ),
        (
            '"high_school", ',
            '"kindergarten", ',
            "education.required: 取值无效 'kindergarten'（可选：primary、junior_middle、high_school、secondary_vocational、technical_school、junior_college、bachelor、master、doctor）",
        ),
        (
            'clause = "2.2.4.3"',
            'clause = "二.4"',
            "conditions.level2.performance.clause: 须为条款编号，如 2.2.4.3",
        ),
        (
            '[conditions."level2.performance"]',
            '[conditions."level2.charm"]',
            "conditions.level2.charm: 未知字段",
        ),
        ("base_age = 60", "base_age = 0", "retirement.male_60.base_age: 须大于 0"),
        (
            'item = "②"',
            'item = "⑨"',
            "honors.exemption.may_day_medal.item: 须为 ①、②、③、④ 之一",
        ),
        ("[thresholds]", "colour = 1\n[thresholds]", "dates.colour: 未知字段"),
    ],
)
def test_invalid_policy_names_the_field(old: str, new: str, error: str) -> None:
    assert old in TEXT_2025

    assert error in _errors(TEXT_2025.replace(old, new, 1))


def test_invalid_policy_lists_every_error() -> None:
    text = TEXT_2025.replace("years_at_level = 5", "years_at_level = -1").replace(
        "excellent_years = 2", "excellent_years = true"
    )

    assert _errors(text) == [
        "thresholds.years_at_level: 须在 0 至 9999 之间",
        "thresholds.excellent_years: 须为整数",
    ]


def test_missing_condition_is_named() -> None:
    start = TEXT_2025.index('[conditions."level1.mastery"]')
    end = TEXT_2025.index("[conditions.", start + 1)

    errors = _errors(TEXT_2025[:start] + TEXT_2025[end:])

    assert errors == ["conditions.level1.mastery: 缺少此项"]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("policy_id = ", "(文件): TOML 格式错误"),
        ("a = 1\x00", "(文件): 含有不允许的空字符"),
        ("", "policy_id: 缺少此项"),
    ],
)
def test_unreadable_policy_is_refused(text: str, error: str) -> None:
    assert _errors(text)[0].startswith(error)


def _fragments(text: str) -> list[str]:
    plain = re.sub(r"\s+", "", text)
    return [part for part in re.split(r"[①②③④⑤⑥]", plain) if part]


@pytest.mark.parametrize("policy_id", ["2025-jiaozuo"])
def test_clause_texts_are_the_notices_words(policy_id: str) -> None:
    notice = re.sub(r"\s+", "", NOTICE.read_text("utf-8")).replace("-", "")
    policy = get_policy(policy_id)

    missing = [
        (key, part)
        for key, clause in policy.conditions.items()
        for part in _fragments(clause.text)
        if part not in notice
    ]

    assert missing == []


def test_cli_takes_a_policy_file(tmp_path: Path) -> None:
    # The same notice numbered differently: 2.2.2 is 2.2.9 in this file.
    text = TEXT_2025.replace('policy_id = "2025-jiaozuo"', 'policy_id = "renumbered"')
    text = text.replace('clause = "2.2.2"', 'clause = "2.2.9"')
    path = tmp_path / "renumbered.toml"
    path.write_text(text, encoding="utf-8")
    record = applicant(work_start_date="2019-01-01", certificates=[])

    completed = run_cli("--policy", str(path), "-", stdin=json.dumps(record) + "\n")

    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["failed"] == ["2.2.9"]
    assert result["explanation"][-1].startswith("2.2.9 工作年限")
    assert load_policy_file(path).policy_id == "renumbered"


def test_cli_refuses_an_invalid_policy_file_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(TEXT_2025.replace("years_at_level = 5", "years_at_level = 'x'"))

    completed = run_cli("--policy", str(path), "-", stdin="")

    assert completed.returncode == 2
    assert "thresholds.years_at_level: 须为整数" in completed.stderr


def test_cli_lists_shipped_policies() -> None:
    shipped = sorted(path.stem for path in FOLDER.glob("*.toml"))

    assert shipped == ["2025-jiaozuo", "2026-jiaozuo"]

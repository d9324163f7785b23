"""core.dates: one Chinese date format, shared with the eligibility engine."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from gongkao.core.dates import chinese_date
from gongkao.eligibility.labels import cn_date

PACKAGE = Path(__file__).resolve().parents[2] / "gongkao"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 4, 3), "2025年4月3日"),
        (date(2025, 12, 31), "2025年12月31日"),
        (date(2008, 7, 1), "2008年7月1日"),
    ],
)
def test_chinese_date_uses_arabic_numerals_without_padding(day, text):
    assert chinese_date(day) == text


def test_chinese_date_is_the_eligibility_formatter():
    assert chinese_date is cn_date


def imported_apps(folder: Path) -> set[str]:
    """The gongkao packages that the modules under `folder` import."""
    apps = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            apps |= {
                name.split(".")[1] for name in names if name.startswith("gongkao.")
            }
    return apps


def test_core_imports_only_the_eligibility_library():
    assert imported_apps(PACKAGE / "core") <= {"core", "eligibility"}


def test_eligibility_never_imports_core():
    assert imported_apps(PACKAGE / "eligibility") == {"eligibility"}

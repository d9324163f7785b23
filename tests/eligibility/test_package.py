"""The package is pure Python: no Django, a small public API, policies by id."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import gongkao.eligibility as eligibility
from gongkao.eligibility import UnknownPolicyError, get_policy, list_policies

ROOT = Path(__file__).resolve().parents[2]

_IMPORT_ALL = """
import importlib, pkgutil, sys
import gongkao.eligibility as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
import gongkao.__main__
assert len(names) >= 10, names
assert "django" not in sys.modules, sorted(m for m in sys.modules if "django" in m)
print(len(names))
"""


def test_package_imports_no_django() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr


def test_package_public_api_is_exported() -> None:
    assert callable(eligibility.evaluate)
    assert set(eligibility.__all__) >= {
        "evaluate",
        "get_policy",
        "list_policies",
        "ApplicantRecord",
        "Result",
        "Check",
        "Policy",
    }


def test_get_policy_returns_2025_jiaozuo() -> None:
    policy = get_policy("2025-jiaozuo")

    assert policy.policy_id == "2025-jiaozuo"
    assert policy.notice_date.isoformat() == "2025-02-28"
    assert policy.reference_date.isoformat() == "2025-12-31"


def test_get_policy_unknown_raises() -> None:
    with pytest.raises(UnknownPolicyError, match="2099-nowhere"):
        get_policy("2099-nowhere")


def test_list_policies_includes_2025_jiaozuo() -> None:
    assert [policy.policy_id for policy in list_policies()] == [
        "2025-jiaozuo",
        "2026-jiaozuo",
    ]


def test_docs_name_existing_tests() -> None:
    docs = (ROOT / "docs" / "eligibility.md").read_text("utf-8")
    named = set(re.findall(r"`(test_\w+)`", docs))
    defined = {
        match
        for path in Path(__file__).parent.glob("test_*.py")
        for match in re.findall(r"^def (test_\w+)", path.read_text("utf-8"), re.M)
    }

    assert len(named) > 40
    assert named - defined == set()

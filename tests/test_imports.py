"""The layers, read from every module's source: the import direction between
apps, imports at the top, and views that never write audit rows.

An app may import only the apps below it in LAYERS; a new app goes above the
ones it uses (docs/architecture.md shows the same table). Migrations are left
out: they name models of other apps by design.
"""

from __future__ import annotations

import ast
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "gongkao"

# Lowest first. `eligibility` is a pure library: it imports nothing of gongkao.
LAYERS = [
    "eligibility",
    "core",
    "organizations",
    "accounts",
    "policies",
    "campaigns",
    "applications",
    "review",
    "exams",
    "questions",
    "cbt",
    "panels",
    "results",
    "certificates",
    "whatif",
    "portal",
]
ALLOWED = {app: set(LAYERS[:i]) for i, app in enumerate(LAYERS)}
ALLOWED["eligibility"] = set()
# Project-level modules (urls.py, settings.py, __main__.py) tie the apps together.
PROJECT = "(project)"

# Imports inside functions, each with its reason (start-up cost or the app
# registry); anything else belongs at the top of the module.
LOCAL_IMPORTS_ALLOWED = {
    ("review/apps.py", "gongkao.applications.services"),  # app registry not ready
    ("review/apps.py", "gongkao.review.batches"),  # app registry not ready
    ("panels/apps.py", "gongkao.panels.demo"),  # app registry not ready
    ("panels/apps.py", "gongkao.questions.demo"),  # app registry not ready
    ("results/apps.py", "gongkao.results.demo"),  # app registry not ready
    ("results/apps.py", "gongkao.questions.demo"),  # app registry not ready
    ("certificates/apps.py", "gongkao.certificates.demo"),  # app registry not ready
    ("certificates/apps.py", "gongkao.questions.demo"),  # app registry not ready
}


def _parse_all():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if "migrations" in relative.parts:
            continue
        app = relative.parts[0] if len(relative.parts) > 1 else PROJECT
        found.append((app, relative, ast.parse(path.read_text(), str(path))))
    return found


@cache
def _modules():
    # In a fresh interpreter: CPython 3.11's AST constructor keeps a recursion
    # count that an earlier RecursionError elsewhere in the run (or another
    # thread) can leave off ("AST constructor recursion depth mismatch",
    # gh-106905); a fresh thread was not enough. Parsed once for every test.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_parse_all).result()


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        return [node.module]
    return []


def test_every_app_is_in_the_table():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert apps == set(LAYERS)


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_only_the_apps_below_it(app):
    wrong = sorted(
        f"{relative}: {name}"
        for owner, relative, tree in _modules()
        if owner == app
        for node in ast.walk(tree)
        for name in _imported(node)
        if name.startswith("gongkao.")
        and (target := name.split(".")[1]) != app
        and target not in ALLOWED[app]
    )
    assert wrong == [], f"{app} may import only {sorted(ALLOWED[app])}"


def test_imports_of_gongkao_sit_at_the_top_of_modules():
    local = set()
    for _, relative, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for name in _imported(node):
                    if name.startswith("gongkao."):
                        local.add((relative.as_posix(), name))
    assert local <= LOCAL_IMPORTS_ALLOWED, sorted(local - LOCAL_IMPORTS_ALLOWED)


def _names_used(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.name for alias in node.names}
    return names


def test_views_never_write_audit_rows():
    """Views call services; only services (and tasks) write audit rows."""
    views = [
        relative.as_posix()
        for _, relative, tree in _modules()
        if (relative.name == "views.py" or "views" in relative.parts[:-1])
        and _names_used(tree) & {"record_audit", "AuditEvent"}
    ]
    assert views == []


def test_queries_raise_no_404_and_read_no_request():
    """A query returns None for what is not there; the view answers 404, and
    forms parse what the request sends."""
    found = [
        relative.as_posix()
        for _, relative, tree in _modules()
        if relative.name == "queries.py"
        and _names_used(tree) & {"Http404", "HttpRequest", "GET", "POST"}
    ]
    assert found == []

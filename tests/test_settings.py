from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(
    show: str = "s.DATABASES['default']['ENGINE']", **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "DEBUG",
            "DATABASE_URL",
            "DB",
            "TASKS_BACKEND",
            "AUDIT_CHAIN_KEY",
        }
    }
    return subprocess.run(
        [sys.executable, "-c", f"import gongkao.settings as s; print({show})"],
        cwd="/tmp",
        # A developer's .env (written by make) must not leak into these checks.
        env={**clean, "PYTHONPATH": str(ROOT), "ENV_FILE": "/nonexistent/.env", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_encryption_key():
    result = _import_settings(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_production_starts_with_both_keys():
    result = _import_settings(
        DEBUG="false", SECRET_KEY="x" * 50, FIELD_ENCRYPTION_KEY="ab" * 32
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_short_audit_chain_key():
    result = _import_settings(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEY="ab" * 32,
        AUDIT_CHAIN_KEY="abcd",
    )
    assert result.returncode != 0
    assert "AUDIT_CHAIN_KEY" in result.stderr


def test_audit_chain_key_of_its_own_is_accepted():
    result = _import_settings(
        "s.AUDIT_CHAIN_KEY",
        DEBUG="false",
        SECRET_KEY="x" * 50,
        FIELD_ENCRYPTION_KEY="ab" * 32,
        AUDIT_CHAIN_KEY="cd" * 32,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cd" * 32


def test_database_url_selects_postgresql():
    result = _import_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/gongkao")
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_is_the_default():
    result = _import_settings()
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_bad_boolean_is_a_clear_error():
    result = _import_settings(DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr


TASK_BACKEND = "s.TASKS['default']['BACKEND']"


def test_tasks_go_to_the_database_worker_by_default():
    result = _import_settings(TASK_BACKEND)
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend"


def test_tasks_backend_immediate_runs_tasks_in_the_request():
    result = _import_settings(TASK_BACKEND, TASKS_BACKEND="immediate")
    assert result.stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend"


def test_unknown_tasks_backend_is_refused():
    result = _import_settings(TASK_BACKEND, TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "TASKS_BACKEND must be one of database, immediate" in result.stderr


def test_production_refuses_the_all_zero_development_key():
    result = _import_settings(
        DEBUG="false", SECRET_KEY="x" * 50, FIELD_ENCRYPTION_KEY="00" * 32
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "全零" in result.stderr

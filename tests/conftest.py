"""Fixtures shared by the whole suite: a few composed personas, nothing clever."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from the live server tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Uploaded files go to a fresh folder per test, never into the work tree.
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 costs ~0.13 s a hash; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # pytest-django runs with DEBUG off, where no development key is assumed.
    settings.FIELD_ENCRYPTION_KEY = "5a" * 32
    # Background tasks run inside the request that enqueues them (after its
    # transaction commits: see django_capture_on_commit_callbacks).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    from gongkao.core.sms import LogSmsSender

    LogSmsSender.outbox.clear()
    yield
    LogSmsSender.outbox.clear()


@pytest.fixture
def sms_outbox():
    from gongkao.core.sms import LogSmsSender

    return LogSmsSender.outbox


@pytest.fixture
def demo(db):
    """The seeded 2025 Jiaozuo demo: divisions, offices, units, accounts."""
    from gongkao.campaigns.demo import seed_demo
    from gongkao.review.demo import ensure_return_reasons

    seed_demo()
    # Transactional tests flush the tables that migrations filled.
    ensure_return_reasons()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium, never a downloaded browser (docs/testing.md).
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }

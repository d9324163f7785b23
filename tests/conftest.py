"""Fixtures shared by the whole suite: the organisations of the 2025 Jiaozuo
notice that the tests name, and a few composed personas, nothing clever.

Everything is built with tests/factories; only the browser flows and
tests/test_demo.py use the seeded demo (`demo`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import time_machine

from gongkao.accounts.models import User
from gongkao.campaigns.demo import CITY_MAILBOX
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Division, ExamOffice, Unit, UnitCategory
from tests import factories

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from the live server tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
IN_WINDOW = "2025-03-20 10:00 +0800"


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
def _locks_take_only_their_rows():
    """On PostgreSQL a FOR UPDATE over a join locks the joined rows too: a
    model's ordering or a select_related would lock the campaign, the unit or
    the sitting, and every writer of the campaign would wait for the one
    before. Every lock over a join names its own table
    (`select_for_update(of=("self",))`)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    joined: list[str] = []

    def check(execute, sql, params, many, context):
        if "FOR UPDATE" in sql and " JOIN " in sql and "FOR UPDATE OF" not in sql:
            joined.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        yield
    assert not joined, f"a lock over a join locks the joined rows: {joined[0]}"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    from gongkao.core.sms import LogSmsSender

    LogSmsSender.outbox.clear()
    yield
    LogSmsSender.outbox.clear()


@pytest.fixture(autouse=True)
def _forget_exam_caches():
    # Per-process caches of the exam screen keyed by ids, which SQLite reuses
    # after a test's rollback.
    from gongkao.cbt import access, queries

    access._cache.clear()
    queries._room_starts.clear()


@pytest.fixture
def sms_outbox():
    from gongkao.core.sms import LogSmsSender

    return LogSmsSender.outbox


@pytest.fixture
def demo(db):
    """The seeded 2025 Jiaozuo demo: divisions, offices, units, accounts.
    For the browser flows and tests/test_demo.py; other tests use the
    fixtures below."""
    from gongkao.campaigns.demo import seed_demo
    from gongkao.review.demo import ensure_return_reasons

    seed_demo()
    # Transactional tests flush the tables that migrations filled.
    ensure_return_reasons()


@pytest.fixture
def in_window():
    """Thursday 2025-03-20 10:00 in Shanghai, inside the 2025 registration
    window (03-13 to 03-31 of CampaignFactory); the clock stands still."""
    with time_machine.travel(IN_WINDOW, tick=False) as traveller:
        yield traveller


# --- the notice's organisations -------------------------------------------------


@pytest.fixture
def campaign(db) -> Campaign:
    """The 2025 campaign with the notice's dates (registration 03-13 to 03-31)."""
    return factories.CampaignFactory.create()


@pytest.fixture
def jiaozuo(db) -> Division:
    return factories.DivisionFactory.create(jiaozuo=True)


@pytest.fixture
def city_office(jiaozuo) -> ExamOffice:
    """焦作市工考办: reviews every city-direct unit, with the applicant list by
    mail and signed rosters (notice 3.5.1, 3.5.3)."""
    office = factories.ExamOfficeFactory.create(
        name="焦作市工考办", division=jiaozuo, mailbox=CITY_MAILBOX
    )
    factories.JurisdictionFactory.create(
        office=office,
        category=UnitCategory.CITY_DIRECT,
        city_procedure=True,
    )
    return office


@pytest.fixture
def school(city_office) -> Unit:
    """焦作市第一中学: a city-direct unit under 焦作市教育局."""
    department = factories.UnitFactory.create(name="焦作市教育局", city_direct=True)
    return factories.UnitFactory.create(
        name="焦作市第一中学", city_direct=True, supervising_department=department
    )


@pytest.fixture
def county_office(jiaozuo) -> ExamOffice:
    """温县工考办: reviews 温县's county units, no list mail, no rosters."""
    wenxian = factories.DivisionFactory.create(
        code="410825", name="温县", kind=Division.Kind.COUNTY, parent=jiaozuo
    )
    office = factories.ExamOfficeFactory.create(name="温县工考办", division=wenxian)
    factories.JurisdictionFactory.create(office=office, category=UnitCategory.COUNTY)
    return office


@pytest.fixture
def county_school(county_office) -> Unit:
    """温县第一高级中学: a county unit under 温县教育局."""
    department = factories.UnitFactory.create(
        name="温县教育局", division=county_office.division
    )
    return factories.UnitFactory.create(
        name="温县第一高级中学",
        division=county_office.division,
        supervising_department=department,
    )


# --- personas ---------------------------------------------------------------------


@pytest.fixture
def applicant(db) -> User:
    """张建国, a registered applicant (phone, ID number, pledge), no application yet."""
    return factories.ApplicantFactory.create(name="张建国")


@pytest.fixture
def clerk(school) -> User:
    """刘芳, the clerk of 焦作市第一中学."""
    return factories.unit_clerk(school, name="刘芳")


@pytest.fixture
def department_reviewer(school) -> User:
    """陈刚 of 焦作市教育局, the school's supervising department."""
    return factories.department_reviewer(school.supervising_department, name="陈刚")


@pytest.fixture
def office_reviewer(city_office) -> User:
    """李强, reviewer at 焦作市工考办."""
    return factories.office_reviewer(city_office, name="李强")


@pytest.fixture
def office_admin(city_office) -> User:
    """王敏, administrator of 焦作市工考办."""
    return factories.office_admin(city_office, name="王敏")


@pytest.fixture
def reviewers(clerk, department_reviewer, office_reviewer) -> factories.Reviewers:
    """The school's chain: 刘芳, 陈刚, 李强."""
    return factories.Reviewers(clerk, department_reviewer, office_reviewer)


@pytest.fixture
def county_clerk(county_school) -> User:
    """周丽, the clerk of 温县第一高级中学."""
    return factories.unit_clerk(county_school, name="周丽")


@pytest.fixture
def county_reviewer(county_office) -> User:
    """孙伟, reviewer at 温县工考办."""
    return factories.office_reviewer(county_office, name="孙伟")


@pytest.fixture
def county_admin(county_office) -> User:
    """赵静, administrator of 温县工考办."""
    return factories.office_admin(county_office, name="赵静")


@pytest.fixture
def system_admin(db) -> User:
    """The system administrator, username admin."""
    return factories.system_admin(username="admin", name="系统管理员")


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

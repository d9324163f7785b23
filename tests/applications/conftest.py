"""The applicant's side: 张建国 (tests/conftest.py) applies at 焦作市第一中学
during the 2025 registration window (`in_window`)."""

from __future__ import annotations

import pytest

from gongkao.accounts.models import User
from gongkao.applications import services
from gongkao.applications.models import Application
from tests.factories import fill_level4_application, upload_all


@pytest.fixture
def ready_application(applicant, school, campaign, in_window) -> Application:
    """张建国's level-4 电工 draft at 焦作市第一中学, every material uploaded."""
    application = fill_level4_application(applicant, unit=school, campaign=campaign)
    upload_all(application, applicant)
    return application


@pytest.fixture
def submitted(ready_application: Application, applicant: User) -> Application:
    """张建国's application at unit review (submitted 2025-03-20)."""
    services.submit_application(ready_application, by=applicant)
    ready_application.refresh_from_db()
    return ready_application

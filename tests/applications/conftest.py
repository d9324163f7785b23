"""Personas for the application tests: 张建国 applies at 焦作市第一中学."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from PIL import Image

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.applications.models import Application, HeldCertificate
from gongkao.campaigns.models import Campaign, JobType
from gongkao.organizations.models import Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IN_WINDOW = "2025-03-20 10:00 +0800"


def jpeg(width: int = 300, height: int = 420) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def in_window():
    with time_machine.travel(IN_WINDOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def applicant(demo) -> User:
    user = find_user_by_phone("13800000021")
    assert user is not None
    return user


@pytest.fixture
def clerk(demo) -> User:
    user = find_user_by_phone("13800000011")
    assert user is not None
    return user


@pytest.fixture
def clerk_assignment(clerk) -> RoleAssignment:
    return RoleAssignment.objects.get(user=clerk, role=Role.UNIT_CLERK)


def fill_level4_application(user: User) -> Application:
    """A complete level-4 electrician application by certificate (regular route)."""
    campaign = Campaign.objects.get(year=2025)
    profile = services.profile_for(user)
    profile.unit = Unit.objects.get(name="焦作市第一中学")
    profile.employment = "formal"
    profile.work_start_date = date(2008, 7, 1)
    profile.regularized_date = date(2009, 7, 1)
    profile.education = "high_school"
    profile.retirement_group = "male_60"
    profile.declared_at = profile.created_at
    profile.save()
    HeldCertificate.objects.create(
        profile=profile,
        level=5,
        job_type_name="电工",
        cert_date=date(2015, 6, 1),
        number="GQ2015-001",
    )
    application = services.application_for(user, campaign)
    application.level = 4
    application.job_type = JobType.objects.get(name="电工")
    application.ack_policy_at = profile.created_at
    application.pledged_at = profile.created_at
    application.unit = profile.unit
    application.save()
    return application


def upload_all(application: Application, user: User) -> None:
    for slot in services.slots_for(application):
        data = jpeg() if slot.photo else PDF
        services.upload_material(
            application, slot.key, data, f"{slot.key}.pdf", by=user
        )


@pytest.fixture
def ready_application(applicant, in_window) -> Application:
    application = fill_level4_application(applicant)
    upload_all(application, applicant)
    return application

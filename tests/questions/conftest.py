"""A bank of the city office and a future sitting with seated candidates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign, JobType
from gongkao.exams.models import SeatAssignment, Sitting, Subject
from gongkao.organizations.models import ExamOffice
from tests import factories

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def bank_staff(city_office):
    return factories.question_bank_staff(city_office)


def fill_pool(
    office: ExamOffice,
    subject: Subject,
    job_type: JobType | None = None,
    *,
    single=6,
    judge=4,
    multiple=2,
) -> None:
    for _ in range(single):
        factories.QuestionFactory.create(
            office=office, subject=subject.code, level=subject.level, job_type=job_type
        )
    for _ in range(judge):
        factories.QuestionFactory.create(
            office=office,
            subject=subject.code,
            level=subject.level,
            job_type=job_type,
            judge=True,
        )
    for _ in range(multiple):
        factories.QuestionFactory.create(
            office=office,
            subject=subject.code,
            level=subject.level,
            job_type=job_type,
            multiple=True,
        )


@dataclass
class World:
    campaign: Campaign
    sitting: Sitting
    ethics: Subject
    skill: Subject
    electrician: JobType
    driver: JobType
    seats: list[SeatAssignment]


@pytest.fixture
def world(campaign, city_office, school) -> World:
    """Level-4 职业道德 and 岗位技能 in a sitting a week ahead; six candidates
    of two job types; blueprints of 50 + 50 points (2 single × 10 … see below)
    and pools that fill them."""
    soon = timezone.localdate() + timedelta(days=7)
    sitting = factories.SittingFactory.create(
        campaign=campaign, date=soon, start_time=time(9, 0)
    )
    ethics = factories.SubjectFactory.create(
        campaign=campaign, level=4, code="ethics", name="职业道德"
    )
    skill = factories.SubjectFactory.create(
        campaign=campaign, level=4, code="skill", name="岗位技能", per_job_type=True
    )
    sitting.subjects.set([ethics, skill])
    room = factories.RoomFactory.create(
        centre__campaign=campaign, centre__office=city_office
    )
    sitting.rooms.add(room)
    electrician = factories.JobTypeFactory.create(electrician=True)
    driver = factories.JobTypeFactory.create()
    seats = []
    for i in range(6):
        application = factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=4,
            unit=school,
            job_type=electrician if i % 2 else driver,
        )
        seats.append(
            factories.SeatAssignmentFactory.create(
                application=application, sitting=sitting, room=room, number=i + 1
            )
        )
    # 4 single × 10 + 3 judge × 10 + 1 multiple × 30 = 100.
    points = {"single": Decimal(10), "judge": Decimal(10), "multiple": Decimal(30)}
    for subject in (ethics, skill):
        factories.blueprint(
            subject, [("single", 4), ("judge", 3), ("multiple", 1)], points=points
        )
    fill_pool(city_office, ethics)
    fill_pool(city_office, skill, electrician)
    fill_pool(city_office, skill, driver)
    return World(campaign, sitting, ethics, skill, electrician, driver, seats)


def past(sitting: Sitting) -> None:
    sitting.date = date(2025, 6, 14)
    sitting.save()

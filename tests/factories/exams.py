"""The exam plan: subjects, centres, rooms, sittings, seats, tickets, proctors
and attendance (raw rows; the allocation and issue go through the services)."""

from __future__ import annotations

from datetime import date, time

import factory
from django.utils import timezone

from gongkao.exams.models import (
    AdmissionTicket,
    Attendance,
    Enrolment,
    ExamPlan,
    ProctorAssignment,
    Room,
    SeatAssignment,
    Sitting,
    Subject,
    TestCentre,
    TheoryExemption,
    TrainingAttendance,
    TrainingClass,
    TrainingSession,
)
from gongkao.exams.tickets import ticket_number
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.organizations import ExamOfficeFactory


class SubjectFactory(factory.django.DjangoModelFactory[Subject]):
    """职业道德 of level 4 in the 2025 campaign."""

    class Meta:
        model = Subject
        django_get_or_create = ("campaign", "level", "code")

    campaign = factory.SubFactory(CampaignFactory)
    level = 4
    code = "ethics"
    name = "职业道德"


class TestCentreFactory(factory.django.DjangoModelFactory[TestCentre]):
    __test__ = False

    class Meta:
        model = TestCentre

    campaign = factory.SubFactory(CampaignFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    name = factory.Sequence(lambda n: f"测试考点{n}")
    address = "焦作市山阳区"


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    centre = factory.SubFactory(TestCentreFactory)
    number = factory.Sequence(lambda n: f"{n % 100:02d}")
    seats = 30
    spare_seats = 2


class SittingFactory(factory.django.DjangoModelFactory[Sitting]):
    """09:00 on 2025-06-14, inside the campaign's exam window."""

    class Meta:
        model = Sitting

    campaign = factory.SubFactory(CampaignFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    name = factory.Sequence(lambda n: f"第{n + 1}场")
    date = date(2025, 6, 14)
    start_time = time(9, 0)


class ExamPlanFactory(factory.django.DjangoModelFactory[ExamPlan]):
    class Meta:
        model = ExamPlan
        django_get_or_create = ("campaign", "office")

    campaign = factory.SubFactory(CampaignFactory)
    office = None  # the city-wide plan


class SeatAssignmentFactory(factory.django.DjangoModelFactory[SeatAssignment]):
    class Meta:
        model = SeatAssignment

    application = factory.SubFactory(ApplicationFactory)
    sitting = factory.SubFactory(SittingFactory)
    room = factory.SubFactory(RoomFactory)
    number = factory.Sequence(lambda n: n + 1)


class AdmissionTicketFactory(factory.django.DjangoModelFactory[AdmissionTicket]):
    class Meta:
        model = AdmissionTicket

    application = factory.SubFactory(ApplicationFactory)
    number = factory.Sequence(lambda n: ticket_number(2025, "410800", n + 1))
    issued_at = factory.LazyFunction(timezone.now)


def _add_room(
    obj: ProctorAssignment, create: bool, extracted: object, **_: object
) -> None:
    if create:
        obj.sitting.rooms.add(obj.room)


class ProctorAssignmentFactory(factory.django.DjangoModelFactory[ProctorAssignment]):
    class Meta:
        model = ProctorAssignment
        skip_postgeneration_save = True

    sitting = factory.SubFactory(SittingFactory)
    room = factory.SubFactory(RoomFactory)
    user = factory.SubFactory(UserFactory)

    rooms = factory.PostGeneration(_add_room)


class AttendanceFactory(factory.django.DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    seat = factory.SubFactory(SeatAssignmentFactory)
    status = Attendance.Status.PRESENT
    at = factory.LazyFunction(timezone.now)


class TrainingClassFactory(factory.django.DjangoModelFactory[TrainingClass]):
    """A class of the 2025 campaign in its training window (April–July)."""

    class Meta:
        model = TrainingClass

    campaign = factory.SubFactory(CampaignFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    name = factory.Sequence(lambda n: f"四级培训班{n + 1}")
    level = 4
    start_date = date(2025, 5, 10)
    end_date = date(2025, 5, 11)
    place = "焦作市职业技术学院"
    capacity = 30


class TrainingSessionFactory(factory.django.DjangoModelFactory[TrainingSession]):
    class Meta:
        model = TrainingSession

    training_class = factory.SubFactory(TrainingClassFactory)
    date = date(2025, 5, 10)
    start_time = time(8, 30)
    topic = "职业道德"


class EnrolmentFactory(factory.django.DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment

    training_class = factory.SubFactory(TrainingClassFactory)
    application = factory.SubFactory(ApplicationFactory)
    enrolled_by = factory.SelfAttribute("application.applicant")


class TrainingAttendanceFactory(factory.django.DjangoModelFactory[TrainingAttendance]):
    class Meta:
        model = TrainingAttendance

    session = factory.SubFactory(TrainingSessionFactory)
    enrolment = factory.SubFactory(
        EnrolmentFactory,
        training_class=factory.SelfAttribute("..session.training_class"),
    )
    present = True
    marked_by = factory.SubFactory(UserFactory)


class TheoryExemptionFactory(factory.django.DjangoModelFactory[TheoryExemption]):
    class Meta:
        model = TheoryExemption

    application = factory.SubFactory(ApplicationFactory, level=1)
    confirmed = True
    decided_by = factory.SubFactory(UserFactory)


__all__ = [
    "AdmissionTicketFactory",
    "AttendanceFactory",
    "EnrolmentFactory",
    "ExamPlanFactory",
    "ProctorAssignmentFactory",
    "RoomFactory",
    "SeatAssignmentFactory",
    "SittingFactory",
    "SubjectFactory",
    "TestCentreFactory",
    "TheoryExemptionFactory",
    "TrainingAttendanceFactory",
    "TrainingClassFactory",
    "TrainingSessionFactory",
]

"""A sitting a week ahead with its papers built and tickets issued; `at`
gives times relative to its start."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gongkao.accounts.models import Role
from gongkao.cbt import services
from gongkao.exams.checkin import starts_at
from gongkao.exams.models import AdmissionTicket, ProctorAssignment
from gongkao.questions import papers
from tests import factories
from tests.questions.conftest import World, bank_staff, world  # noqa: F401  (fixtures)

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def exam(world: World) -> World:  # noqa: F811
    papers.build_papers(world.sitting, by=None)
    for n, seat in enumerate(world.seats, start=1):
        factories.AdmissionTicketFactory.create(
            application=seat.application, number=f"TICKET{n:010d}"
        )
    return world


def at(exam: World, minutes: float) -> datetime:
    return starts_at(exam.sitting) + timedelta(minutes=minutes)


def ticket_of(seat) -> AdmissionTicket:
    return AdmissionTicket.objects.get(application=seat.application)


def log_in(exam: World, n: int = 0, minutes: float = -10):
    seat = exam.seats[n]
    return services.login(
        ticket_of(seat).number,
        seat.application.applicant.id_number,
        now=at(exam, minutes),
    )


@pytest.fixture
def duty(exam, city_office) -> ProctorAssignment:
    """A proctor of the city office on duty in the sitting's room."""
    user = factories.staff(Role.PROCTOR, office=city_office)
    return factories.ProctorAssignmentFactory.create(
        sitting=exam.sitting, room=exam.seats[0].room, user=user
    )

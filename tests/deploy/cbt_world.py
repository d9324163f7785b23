"""A computer-based sitting of N seated candidates, quickly, for the load
benchmark (bench/cbt_load.py) and the kill-and-restart test
(tests/deploy/test_cbt_restart.py).

Runs in a process whose Django points at the stack's database (the bench
itself, or `manage.py shell` of tests/deploy/stack.py's Instance). The
sitting starts a few minutes from now, so the candidates can log in at once
(CbtSettings.login_minutes before the start); its one subject lasts two
hours. Users, applications, seats and tickets go in by bulk inserts; the
papers are built by the real service (questions.papers.build_papers) from a
small bank: 40 single × 1 + 20 true/false × 1 + 20 multiple × 2 = 100 points.
"""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.cbt import services
from gongkao.exams.models import AdmissionTicket, Room, SeatAssignment, Sitting
from gongkao.questions import papers
from tests import factories
from tests.factories.accounts import _nth_id_number

ROOM_SEATS = 50
BATCH = 1000


def build(candidates: int, *, minutes_ahead: int = 5) -> dict[str, object]:
    """The sitting; returns its id, its rooms' ids, the proctor's id and each
    candidate's [ticket number, ID number]."""
    campaign = factories.CampaignFactory.create()
    office = factories.ExamOfficeFactory.create(division=campaign.division)
    unit = factories.UnitFactory.create()
    job_type = factories.JobTypeFactory.create()
    start = timezone.localtime() + timedelta(minutes=minutes_ahead)
    sitting = factories.SittingFactory.create(
        campaign=campaign,
        office=office,
        date=start.date(),
        start_time=start.time().replace(second=0, microsecond=0),
    )
    subject = factories.SubjectFactory.create(
        campaign=campaign, level=4, code="ethics", name="职业道德", duration_minutes=120
    )
    sitting.subjects.set([subject])
    centre = factories.TestCentreFactory.create(campaign=campaign, office=office)
    rooms = [
        factories.RoomFactory.create(
            centre=centre, number=f"{k + 1:02d}", seats=ROOM_SEATS
        )
        for k in range(max(1, -(-candidates // ROOM_SEATS)))
    ]
    sitting.rooms.add(*rooms)
    kinds = {"single": (60, {}), "judge": (30, {"judge": True})}
    kinds["multiple"] = (30, {"multiple": True})
    for count, traits in kinds.values():
        for _ in range(count):
            factories.QuestionFactory.create(
                office=office, subject="ethics", level=4, **traits
            )
    factories.blueprint(
        subject,
        [("single", 40), ("judge", 20), ("multiple", 20)],
        points={"single": Decimal(1), "judge": Decimal(1), "multiple": Decimal(2)},
    )
    people: list[list[str]] = []
    now = timezone.now()
    for first in range(0, candidates, BATCH):
        numbers = range(first, min(candidates, first + BATCH))
        users = []
        for i in numbers:
            user = User(username=f"cbt-load-{i:06d}", name=f"考生{i}")
            user.set_unusable_password()
            id_number = _nth_id_number(i)
            user.set_id_number(id_number)
            users.append(user)
            people.append([f"CBT{i:010d}", id_number])
        User.objects.bulk_create(users)
        applications = Application.objects.bulk_create(
            Application(
                applicant=user,
                campaign=campaign,
                policy_id=campaign.policy_id,
                status=Status.QUALIFIED,
                level=4,
                unit=unit,
                job_type=job_type,
            )
            for user in users
        )
        SeatAssignment.objects.bulk_create(
            SeatAssignment(
                application=application,
                sitting=sitting,
                room=rooms[i // ROOM_SEATS],
                number=i % ROOM_SEATS + 1,
            )
            for i, application in zip(numbers, applications, strict=True)
        )
        AdmissionTicket.objects.bulk_create(
            AdmissionTicket(
                application=application, number=f"CBT{i:010d}", issued_at=now
            )
            for i, application in zip(numbers, applications, strict=True)
        )
    papers.build_papers(sitting, by=None, before_doors_only=False)
    proctor = factories.staff(Role.PROCTOR, office=office)
    return {
        "sitting": sitting.pk,
        "rooms": [room.pk for room in rooms],
        "proctor": proctor.pk,
        "candidates": people,
    }


def start(sitting_id: int, room_ids: list[int], proctor_id: int) -> None:
    """The start signal of every room (services.start_room, as the console)."""
    sitting = Sitting.objects.select_related("campaign").get(pk=sitting_id)
    proctor = User.objects.get(pk=proctor_id)
    for room in Room.objects.filter(pk__in=room_ids).order_by("pk"):
        services.start_room(sitting, room, by=proctor)


def main_build(candidates: int) -> None:
    """`manage.py shell -c` entry: the world as one JSON line on stdout."""
    print(json.dumps(build(candidates)))

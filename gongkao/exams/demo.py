"""The demo's exam plan: 焦作市's subjects, a test centre with rooms, two
sittings, and the seats of its qualified demo applicants (idempotent)."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.exams import seating, services, training
from gongkao.exams.models import (
    Room,
    Sitting,
    TestCentre,
    TrainingClass,
    TrainingSession,
)
from gongkao.exams.seating import allocate_seats
from gongkao.organizations.models import ExamOffice


@transaction.atomic
def seed_exam_plan() -> int:
    """Build the plan of 焦作市's 2025 campaign and allocate it; returns the
    number of seats (0 when the plan was there already)."""
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    office = ExamOffice.objects.filter(division__code="410800").first()
    if (
        campaign is None
        or office is None
        or TestCentre.objects.filter(campaign=campaign)
    ):
        return 0
    subjects = seating.ensure_subjects(campaign)
    centre = TestCentre.objects.create(
        campaign=campaign,
        office=office,
        name="焦作市职业技术学院考点",
        address="焦作市山阳区新园路（演示地址）",
        contact="考务办公室 0391-0000000（演示）",
        map_note="乘公交至职业技术学院站，东门进入，实训楼三楼。",
    )
    rooms = [
        Room.objects.create(centre=centre, number=f"{i:02d}", seats=30, spare_seats=2)
        for i in range(1, 7)
    ]
    day = date(2025, 6, 14)
    skills = Sitting.objects.create(
        campaign=campaign,
        office=office,
        name="第一场（五至二级）",
        date=day,
        start_time=time(9, 0),
    )
    skills.subjects.set([s for s in subjects if s.level in (5, 4, 3, 2)])
    skills.rooms.set(rooms[:5])
    theory = Sitting.objects.create(
        campaign=campaign,
        office=office,
        name="第二场（一级理论）",
        date=day,
        start_time=time(10, 30),
    )
    theory.subjects.set([s for s in subjects if s.level == 1])
    theory.rooms.set(rooms[5:])
    _seed_training(campaign, office)
    report = allocate_seats(campaign, by=None)
    # Locked and tickets out, printable now, so that every page has something:
    # the candidates' tickets and the proctors' door page.
    admin = User.objects.get(username="admin")
    services.lock_plan(campaign, by=admin)
    services.issue_tickets(campaign, by=admin)
    now = timezone.now()
    services.set_ticket_window(campaign, now, now + timedelta(days=365), by=admin)
    for proctor in User.objects.filter(
        role_assignments__role=Role.PROCTOR, role_assignments__office=office
    ):
        services.assign_proctor(skills, rooms[0], proctor, by=admin)
    return int(report["seats"])


def _seed_training(campaign: Campaign, office: ExamOffice) -> None:
    """A class for level 4 with two sessions, some candidates and a register."""
    admin = User.objects.get(username="admin")
    klass = TrainingClass.objects.create(
        campaign=campaign,
        office=office,
        name="四级（中级工）培训班（演示）",
        level=4,
        start_date=date(2025, 5, 10),
        end_date=date(2025, 5, 11),
        place="焦作市职业技术学院实训楼（演示地址）",
        teacher="王老师",
        capacity=40,
    )
    sessions = [
        TrainingSession.objects.create(
            training_class=klass,
            date=date(2025, 5, day),
            start_time=time(8, 30),
            topic=topic,
        )
        for day, topic in [(10, "职业道德与职业能力"), (11, "岗位技能")]
    ]
    qualified = Application.objects.filter(
        campaign=campaign, status=Status.QUALIFIED, level=4
    ).order_by("pk")[:12]
    enrolments = [training.enrol(klass, app, by=admin) for app in qualified]
    for k, session in enumerate(sessions):
        present = {e.pk for i, e in enumerate(enrolments) if (i + k) % 5}
        training.save_register(session, present, by=admin)

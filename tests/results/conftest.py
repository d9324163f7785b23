"""A level-4 sitting of 2025-06-13 (a Friday) sat by four candidates: each
subject's paper is one 100-point question, answered right or left blank.

- seats[0] passes both subjects (100, 100);
- seats[1] passes 职业道德 and fails 岗位技能 (100, 0);
- seats[2] never came (no attempt);
- seats[3] scored 100 twice but 岗位技能 was voided for an irregularity;
- `paper` holds a ticket but no seat: a paper exam's candidate, whose scores
  are imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.cbt.models import Attempt
from gongkao.exams.models import AdmissionTicket, SeatAssignment, Sitting, Subject
from gongkao.questions.models import PaperSet
from tests import factories

SAT_ON = date(2025, 6, 13)


def aware(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Past:
    campaign: Campaign
    sitting: Sitting
    ethics: Subject
    skill: Subject
    seats: list[SeatAssignment]
    tickets: list[AdmissionTicket]
    admin: User
    paper: AdmissionTicket


def _attempt(seat, subject, order, right: bool, office, voided: str = "") -> Attempt:
    question = factories.QuestionFactory.create(
        office=office, subject=subject.code, level=4
    )
    paper_set = PaperSet.objects.filter(sitting=seat.sitting, subject=subject).first()
    if paper_set is None:
        paper_set = factories.PaperSetFactory.create(
            sitting=seat.sitting, subject=subject
        )
    paper = factories.PaperFactory.create(
        seat=seat,
        subject=subject,
        paper_set=paper_set,
        items=[[question.pk, "ABCD", "100"]],
    )
    attempt = factories.AttemptFactory.create(
        paper=paper,
        seat=seat,
        subject=subject,
        order=order,
        state=Attempt.State.SUBMITTED,
        started_at=aware(SAT_ON, 9),
        ended_at=aware(SAT_ON, 10),
        ending=Attempt.Ending.SUBMITTED,
        score=100 if right else 0,
        voided=voided,
    )
    if right:
        factories.AnswerFactory.create(attempt=attempt, choice=question.answer)
    return attempt


@pytest.fixture
def past(campaign, city_office, school, office_admin) -> Past:
    sitting = factories.SittingFactory.create(
        campaign=campaign, date=SAT_ON, start_time=time(9, 0)
    )
    ethics = factories.SubjectFactory.create(
        campaign=campaign, level=4, code="ethics", name="职业道德", order=1
    )
    skill = factories.SubjectFactory.create(
        campaign=campaign, level=4, code="skill", name="岗位技能", order=2
    )
    sitting.subjects.set([ethics, skill])
    room = factories.RoomFactory.create(
        centre__campaign=campaign, centre__office=city_office
    )
    sitting.rooms.add(room)
    seats, tickets = [], []
    for i in range(4):
        application = factories.ApplicationFactory.create(
            campaign=campaign, status=Status.QUALIFIED, level=4, unit=school
        )
        seat = factories.SeatAssignmentFactory.create(
            application=application, sitting=sitting, room=room, number=i + 1
        )
        seats.append(seat)
        tickets.append(
            factories.AdmissionTicketFactory.create(
                application=application, number=f"T2025{i:06d}"
            )
        )
    _attempt(seats[0], ethics, 1, True, city_office)
    _attempt(seats[0], skill, 2, True, city_office)
    _attempt(seats[1], ethics, 1, True, city_office)
    _attempt(seats[1], skill, 2, False, city_office)
    _attempt(seats[3], ethics, 1, True, city_office)
    _attempt(seats[3], skill, 2, True, city_office, voided="考试中旁窥")
    paper = factories.AdmissionTicketFactory.create(
        application=factories.ApplicationFactory.create(
            campaign=campaign, status=Status.QUALIFIED, level=4, unit=school
        ),
        number="T2025000009",
    )
    return Past(campaign, sitting, ethics, skill, seats, tickets, office_admin, paper)

"""Reads of the exam plan for the office's pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.exams.models import (
    AdmissionTicket,
    ExamPlan,
    ProctorAssignment,
    Room,
    SeatAssignment,
    Sitting,
    Subject,
    TestCentre,
)


def plan(campaign: Campaign) -> ExamPlan | None:
    return ExamPlan.objects.filter(campaign=campaign).first()


# The subjects Henan sets (issue #14): levels 5–2 sit three at a computer,
# level 1 a theory exam of two; pass marks are a setting (60 of 100 by default).
DEFAULT_SUBJECTS: dict[int, list[tuple[str, str, bool, bool]]] = {
    level: [
        ("skill", "岗位技能", True, False),
        ("ethics", "职业道德", False, False),
        ("ability", "职业能力", False, False),
    ]
    for level in (5, 4, 3, 2)
} | {1: [("ethics", "职业道德", False, True), ("basics", "专业基础知识", False, True)]}


def default_subjects(campaign: Campaign) -> list[Subject]:
    """The default subjects of a campaign, unsaved (the plan's first write
    stores them: `seating.ensure_subjects`)."""
    return [
        Subject(
            campaign=campaign,
            level=level,
            code=code,
            name=name,
            per_job_type=per_job_type,
            theory=theory,
            order=order,
            pass_mark=Decimal("60"),
        )
        for level, rows in DEFAULT_SUBJECTS.items()
        for order, (code, name, per_job_type, theory) in enumerate(rows)
    ]


def subjects(campaign: Campaign) -> list[Subject]:
    """The campaign's subjects; the defaults (unsaved) before the plan's first
    write, so a GET never writes."""
    stored = list(Subject.objects.filter(campaign=campaign))
    return stored or default_subjects(campaign)


def centres(campaign: Campaign) -> QuerySet[TestCentre]:
    return TestCentre.objects.filter(campaign=campaign).prefetch_related("rooms")


def rooms(campaign: Campaign) -> QuerySet[Room]:
    return Room.objects.filter(centre__campaign=campaign).select_related("centre")


def sittings(campaign: Campaign) -> QuerySet[Sitting]:
    return (
        Sitting.objects.filter(campaign=campaign)
        .prefetch_related("subjects", "rooms__centre", "job_types")
        .annotate(seated=Count("seats"))
    )


def room_counts(campaign: Campaign) -> dict[tuple[int, int], int]:
    """(sitting id, room id) → candidates seated."""
    rows = (
        SeatAssignment.objects.filter(sitting__campaign=campaign)
        .values("sitting_id", "room_id")
        .annotate(n=Count("id"))
    )
    return {(r["sitting_id"], r["room_id"]): r["n"] for r in rows}


def room_seats(
    campaign: Campaign, sitting_id: int, room_id: int
) -> list[SeatAssignment]:
    """The seat list of one room in one sitting (the door list's rows)."""
    return list(
        SeatAssignment.objects.filter(
            sitting__campaign=campaign, sitting_id=sitting_id, room_id=room_id
        )
        .select_related(
            "application__applicant",
            "application__unit",
            "application__job_type",
            "application__ticket",
        )
        .order_by("number")
    )


def tickets_of_applicant(user: User) -> list[AdmissionTicket]:
    """The applicant's own tickets, newest campaign first."""
    return list(
        AdmissionTicket.objects.filter(application__applicant=user)
        .select_related("application__campaign__exam_plan", "application__job_type")
        .order_by("-application__campaign__year")
    )


def ticket_of_applicant(user: User, pk: int) -> AdmissionTicket | None:
    return (
        AdmissionTicket.objects.filter(application__applicant=user, pk=pk)
        .select_related(
            "application__applicant",
            "application__campaign",
            "application__unit",
            "application__job_type",
        )
        .first()
    )


def tickets_count(campaign: Campaign) -> int:
    return AdmissionTicket.objects.filter(application__campaign=campaign).count()


def proctors_of(office_id: int) -> QuerySet[User]:
    """The proctor accounts of an office."""
    return User.objects.filter(
        role_assignments__role=Role.PROCTOR, role_assignments__office_id=office_id
    ).order_by("name")


def duties_of(user: User) -> QuerySet[ProctorAssignment]:
    return (
        ProctorAssignment.objects.filter(user=user)
        .select_related("sitting__campaign", "room__centre")
        .order_by("sitting__date", "sitting__start_time")
    )


def duty_of(user: User, pk: int) -> ProctorAssignment | None:
    """A duty of this proctor; None for anyone else's."""
    return duties_of(user).filter(pk=pk).first()


def door_list(duty: ProctorAssignment) -> list[SeatAssignment]:
    return list(
        SeatAssignment.objects.filter(sitting=duty.sitting, room=duty.room)
        .select_related("application__applicant", "attendance", "sitting")
        .order_by("number")
    )


def room_duties(sitting_id: int, room_id: int) -> QuerySet[ProctorAssignment]:
    return ProctorAssignment.objects.filter(
        sitting_id=sitting_id, room_id=room_id
    ).select_related("user")


def withdraw_deadline(plan: ExamPlan) -> date | None:
    """The last day a candidate may withdraw: the plan's date, else the day
    before the campaign's first sitting."""
    if plan.withdraw_until is not None:
        return plan.withdraw_until
    first = (
        Sitting.objects.filter(campaign_id=plan.campaign_id).order_by("date").first()
    )
    return first.date - timedelta(days=1) if first is not None else None


def tickets_of_unit(campaign: Campaign, unit_id: int) -> QuerySet[AdmissionTicket]:
    return (
        AdmissionTicket.objects.filter(
            application__campaign=campaign, application__unit_id=unit_id
        )
        .select_related("application__applicant", "application__job_type")
        .order_by("number")
    )


def exemption_requests(campaign: Campaign) -> list[Application]:
    """Level-1 candidates whose check found them exempt from the theory exam
    (2.4): their requests, with the office's decision if any."""
    return [
        a
        for a in Application.objects.filter(
            campaign=campaign, level=1, status=Status.QUALIFIED
        )
        .select_related("applicant", "unit", "job_type", "theory_exemption")
        .order_by("unit__name", "pk")
        if (a.eligibility or {}).get("theory_exam_exempt")
    ]

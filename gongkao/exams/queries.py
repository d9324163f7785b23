"""Reads of the exam plan for the office's pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

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
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.organizations.queries import (
    NoJurisdiction,
    reviewing_office,
    units_of_office,
)


def scope(campaign: Campaign, office: ExamOffice | None) -> ExamOffice | None:
    """Whose plan an office's pages show: None (the whole city) when the city
    office runs the campaign's exams, else the office's own (its jurisdiction's
    candidates, its centres and sittings). `permissions.can_plan` says who may."""
    return None if campaign.exams_run_by_city else office


def city_office(campaign: Campaign) -> ExamOffice | None:
    return (
        ExamOffice.objects.filter(division_id=campaign.division_id)
        .order_by("pk")
        .first()
    )


def planning_office(campaign: Campaign, unit: Unit | None) -> ExamOffice | None:
    """The office that plans the exams (and training) of a unit's candidates:
    the city office, or the office reviewing the unit when the campaign's exams
    are run by each county office."""
    if campaign.exams_run_by_city:
        return city_office(campaign)
    if unit is None:
        return None
    try:
        return reviewing_office(unit)
    except NoJurisdiction:
        return None


def candidates(campaign: Campaign, office: ExamOffice | None) -> QuerySet[Application]:
    """The qualified applications a plan seats: the campaign's, or (`office`
    given) those of the units in the office's jurisdiction."""
    found = Application.objects.filter(campaign=campaign, status=Status.QUALIFIED)
    if office is not None:
        found = found.filter(unit__in=units_of_office(office, include_inactive=True))
    return found


def plan(campaign: Campaign, office: ExamOffice | None = None) -> ExamPlan | None:
    return ExamPlan.objects.filter(campaign=campaign, office=office).first()


def plan_of_application(application: Application) -> ExamPlan | None:
    """The plan that seated the application (its ticket's window, the
    withdrawal deadline); None once it holds no seat."""
    seat = (
        SeatAssignment.objects.filter(application=application)
        .select_related("sitting")
        .first()
    )
    if seat is None:
        return None
    campaign = application.campaign
    return plan(campaign, scope(campaign, seat.sitting.office))


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


def _of(office: ExamOffice | None, field: str = "office") -> Q:
    return Q() if office is None else Q(**{field: office})


def centres(
    campaign: Campaign, office: ExamOffice | None = None
) -> QuerySet[TestCentre]:
    return TestCentre.objects.filter(_of(office), campaign=campaign).prefetch_related(
        "rooms"
    )


def rooms(campaign: Campaign, office: ExamOffice | None = None) -> QuerySet[Room]:
    return Room.objects.filter(
        _of(office, "centre__office"), centre__campaign=campaign
    ).select_related("centre")


def sittings_in(
    campaign: Campaign, office: ExamOffice | None = None
) -> QuerySet[Sitting]:
    """The sittings of a plan (of an office's when given), plain."""
    return Sitting.objects.filter(_of(office), campaign=campaign)


def sittings(campaign: Campaign, office: ExamOffice | None = None) -> QuerySet[Sitting]:
    return (
        sittings_in(campaign, office)
        .prefetch_related("subjects", "rooms__centre", "job_types")
        .annotate(seated=Count("seats"))
    )


def room_counts(
    campaign: Campaign, office: ExamOffice | None = None
) -> dict[tuple[int, int], int]:
    """(sitting id, room id) → candidates seated."""
    rows = (
        SeatAssignment.objects.filter(
            _of(office, "sitting__office"), sitting__campaign=campaign
        )
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
        .select_related("application__campaign", "application__job_type")
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


def tickets_count(campaign: Campaign, office: ExamOffice | None = None) -> int:
    return AdmissionTicket.objects.filter(
        application__in=candidates(campaign, office)
    ).count()


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
        Sitting.objects.filter(_of(plan.office), campaign_id=plan.campaign_id)
        .order_by("date")
        .first()
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


def exemption_requests(
    campaign: Campaign, office: ExamOffice | None = None
) -> list[Application]:
    """Level-1 candidates whose check found them exempt from the theory exam
    (2.4): their requests, with the office's decision if any."""
    return [
        a
        for a in candidates(campaign, office)
        .filter(level=1)
        .select_related("applicant", "unit", "job_type", "theory_exemption")
        .order_by("unit__name", "pk")
        if (a.eligibility or {}).get("theory_exam_exempt")
    ]

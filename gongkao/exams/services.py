"""Writes of the exam plan: default subjects, centres, rooms and sittings, the
start of the seat allocation (a background task, `seating.allocate_seats`) and
the lock.

Each locks what it checks and writes its audit row; views only call these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob, Notification
from gongkao.core.notifications import notify
from gongkao.core.services import client_ip, record_audit
from gongkao.exams import queries, tasks
from gongkao.exams.models import (
    AdmissionTicket,
    ProctorAssignment,
    Room,
    SeatAssignment,
    Sitting,
    TheoryExemption,
)
from gongkao.exams.seating import PlanLocked, for_update, locked_plan
from gongkao.exams.tickets import ticket_number
from gongkao.organizations.models import ExamOffice

ALLOCATION = "exams.allocation"


@transaction.atomic
def save_plan_item(
    instance: Any,
    campaign: Campaign,
    office: ExamOffice | None = None,
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
    m2m: Callable[[], None] | None = None,
) -> None:
    """Save a test centre, room or sitting (values set from a valid form) while
    the plan is open; `m2m` saves a form's many-to-many fields after it."""
    locked_plan(campaign, office)
    created = instance.pk is None
    instance.save()
    if m2m is not None:
        m2m()
    record_audit(
        AuditEvent.Action.CONFIG_CREATED
        if created
        else AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=instance,
        after={"item": str(instance)},
        request=request,
    )


def start_allocation(
    campaign: Campaign,
    office: ExamOffice | None = None,
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
) -> BackgroundJob:
    return start_job(
        ALLOCATION,
        tasks.allocate,
        by=by,
        title=f"{campaign.name} 座位编排",
        campaign_id=campaign.pk,
        office_id=office.pk if office else None,
        ip=client_ip(request),
    )


@transaction.atomic
def lock_plan(
    campaign: Campaign,
    office: ExamOffice | None = None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """Lock the allocation before tickets are issued."""
    plan = locked_plan(campaign, office)
    if plan.allocated_at is None:
        raise PlanLocked("还没有编排座位，不能锁定。")
    plan.locked_at, plan.locked_by = timezone.now(), by
    plan.save(update_fields=["locked_at", "locked_by"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=plan,
        after={"locked": True},
        request=request,
    )


@transaction.atomic
def set_ticket_window(
    campaign: Campaign,
    opens: datetime,
    closes: datetime,
    office: ExamOffice | None = None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """When candidates may print their tickets (2023: 16:00 to 16:00 a week later)."""
    plan = for_update(campaign, office)
    before = {
        "opens": _iso(plan.tickets_open_at),
        "closes": _iso(plan.tickets_close_at),
    }
    plan.tickets_open_at, plan.tickets_close_at = opens, closes
    plan.save(update_fields=["tickets_open_at", "tickets_close_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=plan,
        before=before,
        after={"opens": _iso(opens), "closes": _iso(closes)},
        request=request,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@transaction.atomic
def issue_tickets(
    campaign: Campaign,
    office: ExamOffice | None = None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> int:
    """A ticket for every seated candidate who has none, numbered by sitting,
    room and seat; each candidate gets a message and an SMS. The plan must be
    locked. Returns the number issued. Serials run over the campaign: offices
    issuing at once wait for each other on the campaign's row."""
    plan = for_update(campaign, office)
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
    if plan.locked_at is None:
        raise PlanLocked("请先锁定考试编排，再发放准考证。")
    have = set(
        AdmissionTicket.objects.filter(application__campaign=campaign).values_list(
            "application_id", flat=True
        )
    )
    serial = AdmissionTicket.objects.filter(application__campaign=campaign).count()
    now = timezone.now()
    new = []
    seated = (
        SeatAssignment.objects.filter(sitting__in=queries.sittings_in(campaign, office))
        .select_related("application__applicant")
        .order_by(
            "sitting__date",
            "sitting__start_time",
            "room__centre__name",
            "room__number",
            "number",
        )
    )
    for seat in seated:
        if seat.application_id in have:
            continue
        have.add(seat.application_id)
        serial += 1
        number = ticket_number(campaign.year, campaign.division.code, serial)
        new.append(
            (
                AdmissionTicket(
                    application=seat.application, number=number, issued_at=now
                ),
                seat,
            )
        )
    AdmissionTicket.objects.bulk_create([t for t, _ in new], batch_size=2000)
    for ticket, seat in new:
        notify(
            seat.application.applicant,
            Notification.Kind.TICKET,
            "准考证已发放",
            f"您的准考证（{ticket.number}）已发放，请在规定时间内登录系统打印。",
            target=ticket,
        )
    plan.tickets_issued_at = plan.tickets_issued_at or now
    plan.save(update_fields=["tickets_issued_at"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=plan,
        after={"tickets_issued": len(new)},
        request=request,
    )
    return len(new)


@transaction.atomic
def assign_proctor(
    sitting: Sitting,
    room: Room,
    user: User,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> ProctorAssignment:
    """Put a proctor of the office on duty in a room for a sitting."""
    if not sitting.rooms.filter(pk=room.pk).exists():
        raise PlanLocked("该考场不在本场次。")
    duty, created = ProctorAssignment.objects.get_or_create(
        sitting=sitting, room=room, user=user
    )
    if created:
        record_audit(
            AuditEvent.Action.CONFIG_CREATED,
            by=by,
            target=duty,
            after={"proctor": user.name, "room": str(room), "sitting": str(sitting)},
            request=request,
        )
    return duty


class SeatRefused(ValueError):
    """A seat change the plan does not allow; the message is for the office."""


@transaction.atomic
def move_seat(
    seat: SeatAssignment,
    room: Room,
    number: int,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> SeatAssignment:
    """Move one candidate by hand to a free seat of a room of the same sitting.
    After tickets are out the ticket is reissued (its old QR no longer checks
    in) and the candidate is told by SMS."""
    # The sitting's row first, as its own lock: moves of one sitting (two
    # clerks choosing the same free seat) and the end of entry run one at a
    # time, and the free seat checked below stays free.
    sitting = Sitting.objects.select_for_update().get(pk=seat.sitting_id)
    locked = SeatAssignment.objects.select_for_update().get(pk=seat.pk)
    locked.sitting = sitting
    if not locked.sitting.rooms.filter(pk=room.pk).exists():
        raise SeatRefused("该考场不在本场次。")
    if not 1 <= number <= room.seats - room.spare_seats:
        raise SeatRefused(
            f"座位号应在1至{room.seats - room.spare_seats}之间（其余为备用座位）。"
        )
    taken = (
        SeatAssignment.objects.filter(sitting=locked.sitting, room=room, number=number)
        .exclude(pk=locked.pk)
        .exists()
    )
    if taken:
        raise SeatRefused(f"第{room.number}考场{number}号座位已有考生。")
    if hasattr(locked, "attendance"):
        raise SeatRefused("该考生已登记到场，不能再调整座位。")
    before = {"room": str(locked.room), "number": locked.number}
    locked.room, locked.number, locked.moved_by_hand = room, number, True
    locked.save(update_fields=["room", "number", "moved_by_hand"])
    ticket = (
        AdmissionTicket.objects.select_for_update()
        .filter(application_id=locked.application_id)
        .first()
    )
    if ticket is not None:
        ticket.version += 1
        ticket.save(update_fields=["version", "updated_at"])
        notify(
            locked.application.applicant,
            Notification.Kind.TICKET,
            "准考证已更新",
            f"您的考场座位已调整为{room}{number}号，请重新打印准考证（旧准考证作废）。",
            target=ticket,
        )
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=locked,
        before=before,
        after={
            "room": str(room),
            "number": number,
            "ticket_version": ticket.version if ticket else None,
        },
        request=request,
    )
    return locked


@transaction.atomic
def withdraw_from_exam(
    ticket: AdmissionTicket, *, by: User, request: HttpRequest | None = None
) -> None:
    """放弃考试: the candidate gives up their seats before the deadline; the
    seats are freed and the ticket's QR no longer checks in."""
    locked = AdmissionTicket.objects.select_for_update().get(pk=ticket.pk)
    if locked.withdrawn_at is not None:
        return
    plan = queries.plan_of_application(locked.application)
    deadline = queries.withdraw_deadline(plan) if plan else None
    if deadline is None or timezone.localdate() > deadline:
        raise SeatRefused("已过放弃考试的截止日期。")
    freed = SeatAssignment.objects.filter(
        application_id=locked.application_id, attendance__isnull=True
    ).delete()[0]
    locked.withdrawn_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["withdrawn_at", "version", "updated_at"])
    record_audit(
        AuditEvent.Action.EXAM_WITHDRAWN,
        by=by,
        target=locked,
        after={"seats_freed": freed},
        request=request,
    )


UNIT_TICKETS = "exams.unit_tickets"


def start_unit_tickets(
    campaign: Campaign, unit_id: int, *, by: User, request: HttpRequest | None = None
) -> BackgroundJob:
    """The unit clerk's one PDF of all the unit's tickets, as a background job."""
    return start_job(
        UNIT_TICKETS,
        tasks.unit_tickets,
        by=by,
        title="本单位准考证（PDF）",
        campaign_id=campaign.pk,
        unit_id=unit_id,
        ip=client_ip(request),
    )


@transaction.atomic
def set_training_required(
    campaign: Campaign,
    required: bool,
    office: ExamOffice | None = None,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """The plan's setting: training before the exam (checked at allocation)."""
    plan = for_update(campaign, office)
    if plan.training_required == required:
        return
    plan.training_required = required
    plan.save(update_fields=["training_required"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=plan,
        before={"training_required": not required},
        after={"training_required": required},
        request=request,
    )


@transaction.atomic
def save_training_item(
    instance: Any,
    *,
    by: User,
    request: HttpRequest | None = None,
    m2m: Callable[[], None] | None = None,
) -> None:
    """Save a new training class or session (values from a valid form)."""
    instance.save()
    if m2m is not None:
        m2m()
    record_audit(
        AuditEvent.Action.CONFIG_CREATED,
        by=by,
        target=instance,
        after={"item": str(instance)},
        request=request,
    )


@transaction.atomic
def decide_exemption(
    application: Application,
    confirmed: bool,
    office: ExamOffice | None = None,
    *,
    note: str = "",
    by: User,
    request: HttpRequest | None = None,
) -> TheoryExemption:
    """Confirm or refuse a level-1 candidate's request to skip the theory exam
    (2.4), before allocation; audited."""
    locked_plan(application.campaign, office)  # PlanLocked once tickets are out
    decision, _ = TheoryExemption.objects.update_or_create(
        application=application,
        defaults={"confirmed": confirmed, "note": note, "decided_by": by},
    )
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=application,
        after={"theory_exemption": confirmed, "note": note},
        request=request,
    )
    return decision

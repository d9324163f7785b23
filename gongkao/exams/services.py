"""Writes of the exam plan: default subjects, centres, rooms and sittings, the
start of the seat allocation (a background task, `seating.allocate_seats`) and
the lock.

Each locks what it checks and writes its audit row; views only call these.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.campaigns.models import Campaign
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob
from gongkao.core.services import client_ip, record_audit
from gongkao.exams import tasks
from gongkao.exams.models import Subject
from gongkao.exams.seating import PlanLocked, locked_plan

ALLOCATION = "exams.allocation"

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


def ensure_subjects(campaign: Campaign) -> list[Subject]:
    """The campaign's subjects, created with the defaults the first time."""
    for level, subjects in DEFAULT_SUBJECTS.items():
        for order, (code, name, per_job_type, theory) in enumerate(subjects):
            Subject.objects.get_or_create(
                campaign=campaign,
                level=level,
                code=code,
                defaults={
                    "name": name,
                    "per_job_type": per_job_type,
                    "theory": theory,
                    "order": order,
                    "pass_mark": Decimal("60"),
                },
            )
    return list(Subject.objects.filter(campaign=campaign))


@transaction.atomic
def save_plan_item(
    instance: Any,
    campaign: Campaign,
    *,
    by: AbstractBaseUser,
    request: HttpRequest | None = None,
    m2m: Callable[[], None] | None = None,
) -> None:
    """Save a test centre, room or sitting (values set from a valid form) while
    the plan is open; `m2m` saves a form's many-to-many fields after it."""
    locked_plan(campaign)
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
    campaign: Campaign, *, by: AbstractBaseUser, request: HttpRequest | None = None
) -> BackgroundJob:
    return start_job(
        ALLOCATION,
        tasks.allocate,
        by=by,
        title=f"{campaign.name} 座位编排",
        campaign_id=campaign.pk,
        ip=client_ip(request),
    )


@transaction.atomic
def lock_plan(
    campaign: Campaign, *, by: User, request: HttpRequest | None = None
) -> None:
    """Lock the allocation before tickets are issued."""
    plan = locked_plan(campaign)
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

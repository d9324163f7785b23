"""The seat allocation of a campaign, written to the database: service code
run by the worker (tasks.allocate), started by services.start_allocation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from gongkao.applications.models import Application
from gongkao.campaigns.models import Campaign
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.exams import allocation, queries
from gongkao.exams.models import (
    ExamPlan,
    SeatAssignment,
    Subject,
    TheoryExemption,
)
from gongkao.exams.training import trained_ids
from gongkao.organizations.models import ExamOffice


class PlanLocked(ValueError):
    """The plan is locked: tickets are out (the message is for the user)."""


def ensure_subjects(campaign: Campaign) -> list[Subject]:
    """The campaign's subjects, stored with the defaults the first time."""
    for subject in queries.default_subjects(campaign):
        Subject.objects.get_or_create(
            campaign=campaign,
            level=subject.level,
            code=subject.code,
            defaults={
                "name": subject.name,
                "per_job_type": subject.per_job_type,
                "theory": subject.theory,
                "order": subject.order,
                "pass_mark": subject.pass_mark,
            },
        )
    return list(Subject.objects.filter(campaign=campaign))


def plan_of(campaign: Campaign, office: ExamOffice | None = None) -> ExamPlan:
    """The plan of the campaign (of `office`'s jurisdiction when given, see
    queries.scope), created with the campaign's default subjects by the first
    write that needs it (pages only read: `queries.plan`, `queries.subjects`)."""
    plan, created = ExamPlan.objects.get_or_create(campaign=campaign, office=office)
    if created or not Subject.objects.filter(campaign=campaign).exists():
        ensure_subjects(campaign)
    return plan


def for_update(campaign: Campaign, office: ExamOffice | None = None) -> ExamPlan:
    """The plan, created if need be, with its row locked."""
    plan_of(campaign, office)
    return ExamPlan.objects.select_for_update().get(campaign=campaign, office=office)


def locked_plan(campaign: Campaign, office: ExamOffice | None = None) -> ExamPlan:
    plan = for_update(campaign, office)
    if plan.locked_at is not None:
        raise PlanLocked("考试编排已锁定（准考证已发放），不能再修改。")
    return plan


def _minutes(when: datetime) -> int:
    return int(when.timestamp() // 60)


def candidates_of(
    campaign: Campaign, office: ExamOffice | None = None
) -> list[Application]:
    """Who sits the exams: the qualified applications of the campaign (of the
    office's jurisdiction when given)."""
    return list(
        queries.candidates(campaign, office)
        .exclude(level__isnull=True)
        .exclude(ticket__withdrawn_at__isnull=False)  # 放弃考试
        .only("id", "level", "job_type_id", "unit_id", "eligibility")
    )


def _inputs(
    campaign: Campaign, office: ExamOffice | None
) -> tuple[list[allocation.Candidate], list[allocation.Sitting], set[int]]:
    people = candidates_of(campaign, office)
    # 2.4: a level-1 candidate whose exemption the office confirmed gets no
    # theory seat; a request not yet confirmed (or refused) sits the exam.
    exempt = set(
        TheoryExemption.objects.filter(
            application__campaign=campaign, confirmed=True
        ).values_list("application_id", flat=True)
    )
    candidates = [
        allocation.Candidate(a.pk, a.level or 0, a.job_type_id or 0, a.unit_id or 0)
        for a in people
    ]
    sittings = []
    plan_sittings = queries.sittings_in(campaign, office).prefetch_related(
        "subjects", "job_types", "rooms"
    )
    for sitting in plan_sittings:
        subjects = list(sitting.subjects.all())
        starts = datetime.combine(sitting.date, sitting.start_time)
        duration = sum(s.duration_minutes for s in subjects)
        sittings.append(
            allocation.Sitting(
                id=sitting.pk,
                starts=_minutes(starts),
                ends=_minutes(starts) + duration,
                levels=frozenset(s.level for s in subjects),
                job_types=frozenset(j.pk for j in sitting.job_types.all()),
                rooms=tuple(
                    allocation.Room(r.pk, r.seats, r.spare_seats)
                    for r in sorted(
                        sitting.rooms.all(), key=lambda r: (r.centre_id, r.number)
                    )
                ),
                theory_only=bool(subjects) and all(s.theory for s in subjects),
            )
        )
    return candidates, sittings, exempt


@transaction.atomic
def allocate_seats(
    campaign: Campaign,
    office: ExamOffice | None = None,
    *,
    by: AbstractBaseUser | None,
    ip: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Allocate every qualified candidate (see exams.allocation for the rules);
    replaces the previous allocation, seats moved by hand included. When the
    campaign requires training, only candidates with a session attended."""
    plan = locked_plan(campaign, office)
    candidates, sittings, exempt = _inputs(campaign, office)
    not_trained = 0
    if plan.training_required:
        trained = trained_ids(campaign)
        not_trained = sum(c.id not in trained for c in candidates)
        candidates = [c for c in candidates if c.id in trained]
    result = allocation.allocate(candidates, sittings, exempt_from_theory=exempt)
    if progress:
        progress(1, 2)
    SeatAssignment.objects.filter(
        sitting__in=queries.sittings_in(campaign, office)
    ).delete()
    SeatAssignment.objects.bulk_create(
        [
            SeatAssignment(
                application_id=seat.candidate,
                sitting_id=seat.sitting,
                room_id=seat.room,
                number=seat.number,
            )
            for seat in result.seats
        ],
        batch_size=2000,
    )
    report = {
        "candidates": len(candidates),
        "seats": len(result.seats),
        "unseated": {str(k): len(v) for k, v in result.unseated.items()},
        "unseated_ids": sorted({i for ids in result.unseated.values() for i in ids}),
        "clashes": len(result.clashes),
        "mixed_rooms": len(result.mixed_rooms),
        "neighbours": result.neighbours,
        "not_planned": sorted(result.not_planned),
        "not_trained": not_trained,
    }
    plan.allocated_at = timezone.now()
    plan.report = report
    plan.save(update_fields=["allocated_at", "report"])
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=plan,
        after={k: v for k, v in report.items() if k != "unseated_ids"},
        ip=ip,
    )
    if progress:
        progress(2, 2)
    return report

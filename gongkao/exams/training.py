"""Training (培训, notice 四（三）): classes set up by the office, enrolment by the
unit or the candidate, the register of each session, the roster and register
as Excel. Writes lock what they check and write their audit row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from gongkao.accounts.models import User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.core.exports import Column, workbook_bytes
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.exams.models import (
    Enrolment,
    TrainingAttendance,
    TrainingClass,
    TrainingSession,
)
from gongkao.exams.queries import planning_office
from gongkao.organizations.models import ExamOffice, Unit


class TrainingRefused(ValueError):
    """The reason, in Chinese."""


@dataclass(frozen=True)
class TrainingRecord:
    """Training on the candidate's file: the class, sessions attended of the
    sessions held, and whether it counts as completed (every session, or the
    class's `min_sessions`)."""

    training_class: TrainingClass
    attended: int
    total: int
    needed: int

    @property
    def completed(self) -> bool:
        return self.total > 0 and self.attended >= self.needed


def record_of(application: Application) -> TrainingRecord | None:
    """The application's training record; None when it is in no class."""
    enrolment = (
        Enrolment.objects.filter(application=application)
        .select_related("training_class")
        .annotate(
            held=Count("training_class__sessions", distinct=True),
            present=Count(
                "attendance", filter=Q(attendance__present=True), distinct=True
            ),
        )
        .first()
    )
    if enrolment is None:
        return None
    klass = enrolment.training_class
    total = int(enrolment.held)
    return TrainingRecord(
        training_class=klass,
        attended=int(enrolment.present),
        total=total,
        needed=klass.min_sessions or total,
    )


def classes_of(
    campaign: Campaign, office: ExamOffice | None = None
) -> QuerySet[TrainingClass]:
    """The campaign's classes (one office's when given: queries.scope)."""
    found = TrainingClass.objects.filter(campaign=campaign)
    if office is not None:
        found = found.filter(office=office)
    return (
        found.prefetch_related("job_types")
        .annotate(enrolled=Count("enrolments", distinct=True))
        .order_by("start_date", "name")
    )


def classes_for(campaign: Campaign, unit: Unit | None) -> QuerySet[TrainingClass]:
    """The classes open to a unit's candidates: the campaign's, or those of
    the office planning the unit's exams (queries.planning_office)."""
    if campaign.exams_run_by_city:
        return classes_of(campaign)
    office = planning_office(campaign, unit)
    if office is None:
        return classes_of(campaign).none()
    return classes_of(campaign, office)


def fits(training_class: TrainingClass, application: Application) -> bool:
    """The class takes the application's level and job type."""
    if training_class.level is not None and training_class.level != application.level:
        return False
    job_types = {j.pk for j in training_class.job_types.all()}
    return not job_types or application.job_type_id in job_types


def enrolment_of(application: Application) -> Enrolment | None:
    return (
        Enrolment.objects.filter(application=application)
        .select_related("training_class")
        .first()
    )


@transaction.atomic
def enrol(
    training_class: TrainingClass,
    application: Application,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> Enrolment:
    """Put a qualified candidate in a class with a free place (one class a year)."""
    locked = (
        TrainingClass.objects.select_for_update(of=("self",))
        .select_related("campaign", "office")
        .get(pk=training_class.pk)
    )
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.campaign_id != locked.campaign_id or app.status != Status.QUALIFIED:
        raise TrainingRefused("只有本年度资格审查通过的考生可以报名培训。")
    if not fits(locked, app):
        raise TrainingRefused("该培训班不招收这个等级或工种。")
    if not locked.campaign.exams_run_by_city and locked.office_id != getattr(
        planning_office(locked.campaign, app.unit), "pk", None
    ):
        raise TrainingRefused(f"该培训班只招收{locked.office}辖区的考生。")
    other = Enrolment.objects.filter(
        application=app, training_class__campaign_id=locked.campaign_id
    ).first()
    if other is not None:
        raise TrainingRefused(
            f"已报名“{other.training_class}”，每人每年度参加一个培训班。"
        )
    if Enrolment.objects.filter(training_class=locked).count() >= locked.capacity:
        raise TrainingRefused(f"“{locked}”已满（{locked.capacity}人）。")
    enrolment = Enrolment.objects.create(
        training_class=locked, application=app, enrolled_by=by
    )
    record_audit(
        AuditEvent.Action.CONFIG_CREATED,
        by=by,
        target=enrolment,
        after={"class": str(locked), "application": app.pk},
        request=request,
    )
    return enrolment


@transaction.atomic
def save_register(
    session: TrainingSession,
    present: set[int],
    *,
    by: User,
    request: HttpRequest | None = None,
) -> int:
    """The session's register: every enrolment of the class is 到 (its id in
    `present`) or 缺. Returns how many were present."""
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    enrolments = list(
        Enrolment.objects.filter(training_class_id=locked.training_class_id)
    )
    for enrolment in enrolments:
        TrainingAttendance.objects.update_or_create(
            session=locked,
            enrolment=enrolment,
            defaults={"present": enrolment.pk in present, "marked_by": by},
        )
    count = sum(e.pk in present for e in enrolments)
    record_audit(
        AuditEvent.Action.CONFIG_CHANGED,
        by=by,
        target=locked,
        after={"present": count, "enrolled": len(enrolments)},
        request=request,
    )
    return count


def trained_ids(campaign: Campaign) -> set[int]:
    """Applications with at least one session attended (training required)."""
    return set(
        TrainingAttendance.objects.filter(
            enrolment__training_class__campaign=campaign, present=True
        ).values_list("enrolment__application_id", flat=True)
    )


def register_rows(
    training_class: TrainingClass,
) -> tuple[list[TrainingSession], list[dict[str, Any]]]:
    """The class's sessions and, per enrolment, its marks in session order."""
    sessions = list(training_class.sessions.all())
    marks = {
        (a.enrolment_id, a.session_id): a.present
        for a in TrainingAttendance.objects.filter(
            session__training_class=training_class
        )
    }
    rows = []
    for enrolment in training_class.enrolments.select_related(
        "application__applicant", "application__unit", "application__job_type"
    ):
        rows.append(
            {
                "enrolment": enrolment,
                "marks": [marks.get((enrolment.pk, s.pk)) for s in sessions],
            }
        )
    return sessions, rows


def export_class(training_class: TrainingClass) -> bytes:
    """The roster with the register, as Excel."""
    sessions, rows = register_rows(training_class)
    columns = [
        Column("序号", 6, "int"),
        Column("姓名", 12),
        Column("工作单位", 28),
        Column("等级", 14),
        Column("工种", 14),
        *[Column(f"{s.date.month}月{s.date.day}日", 10) for s in sessions],
    ]
    data = [
        [
            i,
            r["enrolment"].application.applicant.name,
            str(r["enrolment"].application.unit or ""),
            r["enrolment"].application.get_level_display() or "",
            str(r["enrolment"].application.job_type or ""),
            *["到" if m else ("缺" if m is False else "") for m in r["marks"]],
        ]
        for i, r in enumerate(rows, start=1)
    ]
    return workbook_bytes(
        [("培训名单及考勤", columns, data)],
        title=f"{training_class} 培训名单及考勤",
        subtitle=f"{training_class.place} · {training_class.start_date}—{training_class.end_date}",
    )

"""Appeals (复核): an applicant found not qualified asks the office to
reconsider within the campaign's working days; the office answers within its
own. Every write here locks what it checks and writes its audit row."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from gongkao.accounts.models import RoleAssignment, User
from gongkao.applications import services
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.core.dates import chinese_date
from gongkao.core.models import AuditEvent, Notification
from gongkao.core.notifications import notify
from gongkao.core.queries import work_calendar
from gongkao.core.services import record_audit
from gongkao.core.uploads import check_upload
from gongkao.core.workdays import add_working_days
from gongkao.review.models import Appeal, AppealSettings
from gongkao.review.queries import scoped_applications


class AppealRefused(Exception):
    """The message is Chinese and says why."""


def settings_for(campaign: Campaign) -> AppealSettings:
    """The campaign's appeal periods, or the defaults (not saved)."""
    found = AppealSettings.objects.filter(campaign=campaign).first()
    return found or AppealSettings(campaign=campaign)


def appeal_deadline(application: Application) -> date | None:
    """The last day to appeal: the campaign's working days after the day the
    application was found not qualified; None if it was not."""
    if application.status != Status.NOT_QUALIFIED:
        return None
    decided = (
        application.status_changes.filter(to_status=Status.NOT_QUALIFIED)
        .order_by("-at", "-id")
        .first()
    )
    if decided is None:
        return None
    days = settings_for(application.campaign).appeal_working_days
    start = timezone.localtime(decided.at).date()
    return add_working_days(start, days, calendar=work_calendar())


def can_appeal(application: Application, today: date) -> bool:
    deadline = appeal_deadline(application)
    return (
        deadline is not None
        and today <= deadline
        and not Appeal.objects.filter(application=application).exists()
    )


@transaction.atomic
def file_appeal(
    application: Application,
    *,
    reason: str,
    data: bytes | None,
    filename: str = "",
    by: User,
) -> Appeal:
    """The applicant's appeal, with a reason and optionally a new document
    (checked by content). Raises AppealRefused (Chinese) or UploadRejected."""
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "applicant")
        .get(pk=application.pk)
    )
    if locked.applicant_id != by.pk:
        raise AppealRefused("只能为本人的申报申请复核。")
    today = timezone.localdate()
    if Appeal.objects.filter(application=locked).exists():
        raise AppealRefused("已经申请过复核，请等待工考办答复。")
    deadline = appeal_deadline(locked)
    if deadline is None:
        raise AppealRefused("只有资格审查不通过的申报可以申请复核。")
    if today > deadline:
        raise AppealRefused(f"申请复核的期限（{chinese_date(deadline)}）已过。")
    if not reason.strip():
        raise AppealRefused("请写明申请复核的理由。")
    checked = check_upload(data, filename) if data else None
    days = settings_for(locked.campaign).answer_working_days
    appeal = Appeal(
        application=locked,
        reason=reason.strip(),
        filed_by=by,
        answer_due=add_working_days(today, days, calendar=work_calendar()),
    )
    if checked is not None:
        appeal.file_content_type = checked.content_type
        appeal.file_extension = checked.extension
        appeal.file.save(
            "material" + checked.extension, ContentFile(checked.content), save=False
        )
    appeal.save()
    record_audit(
        AuditEvent.Action.APPEAL_FILED,
        by=by,
        target=locked,
        after={"appeal": appeal.pk, "with_file": checked is not None},
    )
    return appeal


@transaction.atomic
def answer_appeal(appeal: Appeal, *, decision: str, answer: str, by: User) -> Appeal:
    """The office's answer. Overturning sends the application back to the
    qualification review; the applicant gets a message and an SMS."""
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.answered_at is not None:
        raise AppealRefused("这份复核申请已经答复。")
    if decision not in Appeal.Decision.values:
        raise AppealRefused("请选择复核结论。")
    if not answer.strip():
        raise AppealRefused("请写明答复意见。")
    application = locked.application
    if decision == Appeal.Decision.OVERTURNED:
        services.transition(
            application,
            Status.QUALIFICATION_REVIEW,
            by=by,
            note="复核：撤销原结论，重新审查",
        )
    locked.decision = decision
    locked.answer = answer.strip()
    locked.answered_at = timezone.now()
    locked.answered_by = by
    locked.save(update_fields=["decision", "answer", "answered_at", "answered_by"])
    notify(
        application.applicant,
        Notification.Kind.DECISION,
        "复核结果",
        f"{Appeal.Decision(decision).label}：{locked.answer}",
        target=application,
    )
    record_audit(
        AuditEvent.Action.APPEAL_ANSWERED,
        by=by,
        target=application,
        after={"appeal": locked.pk, "decision": decision},
    )
    return locked


def appeals_for(assignment: RoleAssignment) -> QuerySet[Appeal]:
    """The appeals of the applications an office role may see."""
    return (
        Appeal.objects.filter(application__in=scoped_applications(assignment))
        .select_related("application__applicant", "application__unit")
        .order_by("answered_at", "answer_due", "id")
    )

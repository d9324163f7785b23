"""The review chain after submission: item-by-item decisions at the unit, the
department and the office, bulk decisions, and the on-site check with fees.

Every decision locks the application, checks that it is still at the step the
reviewer saw (two reviewers at once: one wins, the other is told), writes a
Review row and an audit row, and moves the status through services.transition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import RoleAssignment, User
from gongkao.applications import services
from gongkao.applications.models import Application, Material, MaterialFile
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.core.dates import chinese_month_day
from gongkao.core.jobs import start_job
from gongkao.core.models import AuditEvent, BackgroundJob, Notification
from gongkao.core.notifications import notify
from gongkao.core.services import client_ip, record_audit
from gongkao.review import tasks
from gongkao.review.batches import BatchError, batch_for, sync_batch
from gongkao.review.chain import next_status
from gongkao.review.models import FeePayment, OriginalCustody, Review, ReviewStep
from gongkao.review.permissions import can_decide, can_reject_deferred, ready_for_onsite

# Conditions a person judges (the engine's manual_review), in words.
CLAUSE_LABELS = {
    "2.2.4.2": "2.2.4.2 技艺较高、年龄较大，文化程度放宽到初中",
    "2.2.4.3": "2.2.4.3 工作表现和业绩突出，具有独特技艺和传授技艺能力，能解决本工种重大技术操作问题",
    "2.2.5.4": "2.2.5.4 系统掌握本工种基础理论知识和操作技能，具有培训指导三级、二级的水平",
    "2.2.5.5.6": "2.2.5.5 ⑥ 在本行业有突出贡献或具有绝招、绝技、绝活，受到同行业认可",
    "2.2.5.6": "2.2.5.6 专业技术人员申报一级，按国家和省有关规定执行",
    "2.4": "2.4 特殊人才申请直接晋升或免于理论考试",
    "2.1": "2.1 身体健康、遵纪守法、爱岗敬业，能够全面履行岗位职责",
}
CONSENT_LABELS = {
    "consent:retirement": "1.2 本年度达到退休年龄，单位同意其申报",
    "consent:job_type_change": "2.3 单位同意转换岗位工种（或确认因机构改革变化）",
    "consent:deferred": "3.3 年度考核结果未备案，单位同意容缺后补",
}


class AlreadyHandled(Exception):
    """Someone else decided first; the message says what happened."""


@dataclass(frozen=True)
class ReviewItem:
    key: str
    label: str
    kind: str  # "material" | "clause" | "consent"
    file: MaterialFile | None = None
    deferrable: bool = False
    notice: str = ""  # the notice's words for a clause or a consent (the policy's)


def review_items(application: Application, step: ReviewStep) -> list[ReviewItem]:
    """What a reviewer ticks at `step`: each material, each manual clause, each consent."""
    current = {
        m.slot: m.current
        for m in Material.objects.filter(application=application).select_related(
            "current"
        )
    }
    items = [
        ReviewItem(
            f"material:{slot.key}",
            slot.label,
            "material",
            current.get(slot.key),
            slot.deferrable,
        )
        for slot in services.slots_for(application)
    ]
    result = application.eligibility or {}
    policy, _ = services.policy_of(application)
    clauses = ["2.1"] if step == ReviewStep.UNIT else []
    clauses += [c for c in result.get("manual_review", []) if c not in clauses]
    items += [
        ReviewItem(
            f"clause:{c}",
            CLAUSE_LABELS.get(c, c),
            "clause",
            notice=services.notice_text(policy, c),
        )
        for c in clauses
    ]
    if step == ReviewStep.UNIT:
        consents = []
        if any(w.startswith("1.2") for w in result.get("warnings", [])):
            consents.append("consent:retirement")
        if application.job_type_change != "none":
            consents.append("consent:job_type_change")
        if application.deferred_committed_at:
            consents.append("consent:deferred")
        items += [
            ReviewItem(
                c,
                CONSENT_LABELS[c],
                "consent",
                notice=services.notice_text(policy, CONSENT_LABELS[c]),
            )
            for c in consents
        ]
    return items


def _lock_at_step(
    application: Application, step: ReviewStep, by: User | None = None
) -> Application:
    # of=("self",): PostgreSQL cannot lock the nullable side of the join to unit.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign")
        .get(pk=application.pk)
    )
    if not can_decide(locked, step):
        last = locked.status_changes.order_by("-at", "-id").first()
        who = (
            f"（{last.by_label}，{chinese_month_day(timezone.localtime(last.at))}"
            f" {timezone.localtime(last.at):%H:%M}）"
            if last
            else ""
        )
        raise AlreadyHandled(
            f"{locked.applicant}的申报已是“{locked.get_status_display()}”{who}，"
            "可能已被其他人处理，请刷新后查看。"
        )
    if by is not None and locked.applicant_id == by.pk:
        raise AlreadyHandled("不能审核本人的申报，请由其他工作人员审核。")
    return locked


def _record_decision(
    locked: Application,
    *,
    step: ReviewStep | str,
    by: User,
    decision: Review.Decision,
    checks: dict[str, dict[str, Any]] | None = None,
    note: str = "",
) -> Review:
    """The Review row of one decision, in the application's current round."""
    return Review.objects.create(
        application=locked,
        step=step,
        round=locked.round,
        reviewer=by,
        decision=decision,
        decided_at=timezone.now(),
        checks=checks or {},
        note=note[:500],
    )


@transaction.atomic
def record_review(
    application: Application,
    *,
    step: ReviewStep,
    by: User,
    checks: dict[str, dict[str, Any]],
    note: str = "",
    onsite_required: bool = False,
) -> Review:
    """Decide one application at `step` from its item checklist.

    Any item not ok returns the application with those items' reasons;
    otherwise it passes to the next step (for the office: awaiting the
    on-site check, with `onsite_required` marking originals to be seen).
    Consents ticked at the unit are recorded (容缺后补 allowed).
    """
    locked = _lock_at_step(application, step, by)
    items = {item.key: item for item in review_items(locked, step)}
    missing = [item.label for key, item in items.items() if key not in checks]
    if missing:
        raise ValueError("每一项都要审核：" + "、".join(missing))
    failed = {key: c for key, c in checks.items() if key in items and not c.get("ok")}
    decision = Review.Decision.RETURN if failed else Review.Decision.PASS
    review = _record_decision(
        locked, step=step, by=by, decision=decision, checks=checks, note=note
    )
    if failed:
        # The item as the reviewer named it: the return unlocks what proves
        # it (applications.unlocks), a clause its sections and slots.
        reasons = [
            {
                "item": key,
                "code": c.get("code", ""),
                "text": c.get("text") or items[key].label,
                "label": items[key].label,
            }
            for key, c in failed.items()
        ]
        services.return_application(locked, by=by, reasons=reasons)
    else:
        if step == ReviewStep.UNIT and "consent:deferred" in checks:
            locked.deferred_allowed_at = timezone.now()
            locked.deferred_allowed_by = by
            locked.save(update_fields=["deferred_allowed_at", "deferred_allowed_by"])
        if step == ReviewStep.OFFICE:
            locked.onsite_required = onsite_required
            locked.save(update_fields=["onsite_required"])
        services.transition(
            locked,
            next_status(locked, step),
            by=by,
            note=f"{ReviewStep(step).label}通过",
        )
    if step == ReviewStep.OFFICE and locked.unit is not None:
        sync_batch(locked.unit, locked.campaign, by=by)
    # Last, after the batch's lock: the audit chain's head stays locked until
    # commit, and taking it before another lock could deadlock.
    record_audit(
        AuditEvent.Action.REVIEW_DECIDED,
        by=by,
        target=locked,
        after={
            "step": step,
            "round": locked.round,
            "decision": decision,
            "returned": sorted(failed),
            **({"unlocked": locked.return_items} if failed else {}),
        },
    )
    application.refresh_from_db()
    return review


def approve_all_items(
    application: Application, step: ReviewStep
) -> dict[str, dict[str, Any]]:
    return {item.key: {"ok": True} for item in review_items(application, step)}


@dataclass
class BulkOutcome:
    done: list[Application]
    skipped: list[tuple[Application, str]]


def bulk_approve(
    applications: Iterable[Application],
    *,
    step: ReviewStep,
    by: User,
    onsite_required: bool = False,
) -> BulkOutcome:
    """Pass each application whose every item is fine; each in its own transaction."""
    outcome = BulkOutcome([], [])
    for application in applications:
        items = review_items(application, step)
        if any(item.kind == "consent" for item in items):
            # The unit's consent (retirement year, job-type change, 容缺后补) is
            # given one applicant at a time, never in bulk.
            outcome.skipped.append(
                (application, "有须逐份确认的单位同意事项，请单独审核。")
            )
            continue
        try:
            record_review(
                application,
                step=step,
                by=by,
                checks={item.key: {"ok": True} for item in items},
                note="批量审核通过",
                onsite_required=onsite_required,
            )
        except AlreadyHandled as exc:
            outcome.skipped.append((application, str(exc)))
        else:
            outcome.done.append(application)
    return outcome


def bulk_return(
    applications: Iterable[Application],
    *,
    step: ReviewStep,
    by: User,
    item: str,
    code: str,
    text: str,
) -> BulkOutcome:
    """Return each application for the same reason (one section, one text)."""
    outcome = BulkOutcome([], [])
    for application in applications:
        try:
            with transaction.atomic():
                locked = _lock_at_step(application, step, by)
                _record_decision(
                    locked,
                    step=step,
                    by=by,
                    decision=Review.Decision.RETURN,
                    checks={item: {"ok": False, "code": code, "text": text}},
                    note="批量退回",
                )
                services.return_application(
                    locked, by=by, reasons=[{"item": item, "code": code, "text": text}]
                )
                record_audit(
                    AuditEvent.Action.REVIEW_DECIDED,
                    by=by,
                    target=locked,
                    after={
                        "step": step,
                        "decision": "return",
                        "bulk": True,
                        "returned": [item],
                        "unlocked": locked.return_items,
                    },
                )
        except AlreadyHandled as exc:
            outcome.skipped.append((application, str(exc)))
        else:
            outcome.done.append(application)
    return outcome


@transaction.atomic
def conclude_not_qualified(
    application: Application, *, step: ReviewStep, by: User, reason: str
) -> Application:
    """The office finds the applicant not eligible (qualification review or on site)."""
    if not reason.strip():
        raise ValueError("请写明不通过的原因。")
    locked = _lock_at_step(application, step, by)
    _record_decision(
        locked, step=step, by=by, decision=Review.Decision.NOT_QUALIFIED, note=reason
    )
    services.transition(
        locked,
        Status.NOT_QUALIFIED,
        by=by,
        reasons=[
            {
                "item": "submit",
                "code": "not_eligible",
                "text": reason,
                "label": ReviewStep(step).label,
            }
        ],
    )
    notify(
        locked.applicant,
        Notification.Kind.DECISION,
        "资格审查不通过",
        f"您的申报经{ReviewStep(step).label}不通过：{reason}",
        target=locked,
    )
    record_audit(
        AuditEvent.Action.REVIEW_DECIDED,
        by=by,
        target=locked,
        after={"step": step, "decision": "not_qualified", "reason": reason},
    )
    if locked.unit is not None:
        sync_batch(locked.unit, locked.campaign, by=by)
    application.refresh_from_db()
    return application


# --- the on-site check --------------------------------------------------------


def _lock_on_site(application: Application, by: User) -> Application:
    """Lock an application at the on-site check whose batch is ready for it.

    Fees and originals change only while the check is open: a concluded
    application keeps the fee its batch total was reconciled against.
    """
    locked = _lock_at_step(application, ReviewStep.ONSITE, by)
    if locked.unit is None or not ready_for_onsite(
        batch_for(locked.unit, locked.campaign)
    ):
        raise BatchError("名册表尚未签字盖章齐全，不能办理现场审查确认。")
    return locked


@transaction.atomic
def record_fee(
    application: Application,
    *,
    amount: Decimal,
    method: str,
    receipt_number: str,
    by: User,
) -> FeePayment:
    if amount < 0:
        raise ValueError("金额不能为负数。")
    locked = _lock_on_site(application, by)
    fee, _ = FeePayment.objects.update_or_create(
        application=locked,
        defaults={
            "amount": amount,
            "method": method,
            "receipt_number": receipt_number.strip(),
            "recorded_by": by,
        },
    )
    record_audit(
        AuditEvent.Action.FEE_RECORDED,
        by=by,
        target=locked,
        after={"amount": str(amount), "method": method, "receipt": receipt_number},
    )
    return fee


@transaction.atomic
def record_original(
    application: Application, *, item: str, received_from: str, by: User
) -> OriginalCustody:
    """An original handed over at the counter, while the on-site check is open."""
    locked = _lock_at_step(application, ReviewStep.ONSITE, by)
    custody = OriginalCustody.objects.create(
        application=locked,
        item=item,
        received_from=received_from,
        received_at=timezone.now(),
        received_by=by,
    )
    record_audit(
        AuditEvent.Action.ORIGINALS_RECORDED,
        by=by,
        target=locked,
        after={"received": item, "from": received_from},
    )
    return custody


@transaction.atomic
def return_original(custody: OriginalCustody, *, returned_to: str, by: User) -> None:
    """Give an original back; a second return of the same original is a no-op."""
    locked = OriginalCustody.objects.select_for_update().get(pk=custody.pk)
    if locked.returned_at is not None:
        return
    locked.returned_to = returned_to
    locked.returned_at = timezone.now()
    locked.returned_by = by
    locked.save(update_fields=["returned_to", "returned_at", "returned_by"])
    record_audit(
        AuditEvent.Action.ORIGINALS_RECORDED,
        by=by,
        target=locked.application,
        after={"returned": locked.item, "to": returned_to},
    )


@transaction.atomic
def conclude_onsite(
    application: Application,
    *,
    by: User,
    originals_seen: list[str],
    qualified: bool,
    reason: str = "",
) -> Application:
    """Conclude one application at the on-site check: qualified, or not with a reason.

    Qualified needs every original marked for checking seen and the fee paid.
    """
    locked = _lock_on_site(application, by)
    locked.originals_seen = sorted(set(originals_seen))
    locked.save(update_fields=["originals_seen"])
    if not qualified:
        return conclude_not_qualified(
            locked, step=ReviewStep.ONSITE, by=by, reason=reason
        )
    problems = []
    if locked.onsite_required:
        wanted = {
            item.key
            for item in review_items(locked, ReviewStep.ONSITE)
            if item.kind == "material" and item.file is not None
        }
        if not wanted <= set(originals_seen):
            problems.append("还有原件没有核验")
    if not FeePayment.objects.filter(application=locked).exists():
        problems.append("尚未登记缴费")
    if problems:
        raise ValueError("，".join(problems) + "。")
    _record_decision(
        locked,
        step=ReviewStep.ONSITE,
        by=by,
        decision=Review.Decision.PASS,
        checks={key: {"ok": True} for key in originals_seen},
    )
    services.transition(locked, Status.QUALIFIED, by=by, note="现场审查确认通过")
    notify(
        locked.applicant,
        Notification.Kind.DECISION,
        "资格审查通过",
        f"您的{locked.get_level_display()}{locked.job_type}申报已通过资格审查和现场审查确认，"
        "请关注培训和考试安排。",
        target=locked,
    )
    record_audit(
        AuditEvent.Action.REVIEW_DECIDED,
        by=by,
        target=locked,
        after={"step": "onsite", "decision": "qualified"},
    )
    if locked.unit is not None:
        sync_batch(locked.unit, locked.campaign, by=by)
    application.refresh_from_db()
    return application


@transaction.atomic
def reject_deferred_material(
    application: Application, *, by: User, reason: str
) -> Application:
    """The office finds a 容缺后补 upload not acceptable (3.4): not qualified,
    even after qualification."""
    if not reason.strip():
        raise ValueError("请写明不通过的原因。")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not can_reject_deferred(locked):
        raise AlreadyHandled("这份申报没有待审核的容缺后补材料。")
    if locked.applicant_id == by.pk:
        raise AlreadyHandled("不能审核本人的申报，请由其他工作人员审核。")
    services.transition(
        locked,
        Status.NOT_QUALIFIED,
        by=by,
        note="容缺后补材料审核不通过",
        reasons=[
            {
                "item": "annual_reviews",
                "code": "deferred_rejected",
                "text": reason,
                "label": "容缺后补材料",
            }
        ],
    )
    notify(
        locked.applicant,
        Notification.Kind.DECISION,
        "资格审查不通过",
        f"您补传的年度考核结果经审核不符合申报要求：{reason}",
        target=locked,
    )
    record_audit(
        AuditEvent.Action.REVIEW_DECIDED,
        by=by,
        target=locked,
        after={"step": "deferred", "decision": "not_qualified", "reason": reason},
    )
    if locked.unit is not None:
        sync_batch(locked.unit, locked.campaign, by=by)
    application.refresh_from_db()
    return application


# --- full numbers on demand (issue 11, point 6) -------------------------------

REVEALABLE = {"id_number": "公民身份号码", "phone": "手机号"}


@transaction.atomic
def reveal_number(
    application: Application,
    field: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> str:
    """The applicant's full ID or mobile number for a clerk or office in scope
    (the view checks both); every reveal writes an audit row naming the field,
    never the number."""
    if field not in REVEALABLE:
        raise ValueError(f"not a revealable field: {field}")
    value: str = getattr(application.applicant, field)
    record_audit(
        AuditEvent.Action.NUMBER_REVEALED,
        by=by,
        target=application,
        request=request,
        after={"field": field, "applicant": application.applicant_id},
    )
    return value


# --- large exports as background jobs ------------------------------------------

SUMMARY_EXPORT = "review.summary_export"


def start_summary_export(
    assignment: RoleAssignment,
    campaign: Campaign,
    *,
    city_wide: bool,
    by: User,
    request: HttpRequest | None = None,
) -> BackgroundJob:
    """Start the office's summary export as a background job (tasks.py writes
    the file and the audit row); its page shows progress and the download."""
    return start_job(
        SUMMARY_EXPORT,
        tasks.export_summary,
        by=by,
        title="报名信息汇总",
        assignment_id=assignment.pk,
        campaign_id=campaign.pk,
        city_wide=city_wide,
        ip=client_ip(request),
    )


QUEUE_EXPORT = "review.queue_export"


def start_queue_export(
    assignment: RoleAssignment,
    *,
    filters: dict[str, Any],
    params: dict[str, str],
    by: User,
    request: HttpRequest | None = None,
) -> BackgroundJob:
    """Start a queue's export as a background job (filters already parsed)."""
    return start_job(
        QUEUE_EXPORT,
        tasks.export_queue,
        by=by,
        title="导出申报列表",
        assignment_id=assignment.pk,
        filters=filters,
        params=params,
        ip=client_ip(request),
    )

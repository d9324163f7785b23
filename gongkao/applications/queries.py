"""Reads scoped to who is asking: an applicant sees their own files, a unit
clerk their unit's, a department its subordinates', an office its jurisdiction's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.applications.checklist import material_slots
from gongkao.applications.models import (
    ApplicantProfile,
    Application,
    MaterialFile,
    ReturnedItem,
    StatusChange,
)
from gongkao.applications.states import HOLDER, Status
from gongkao.applications.unlocks import changed_keys, key_label
from gongkao.campaigns.models import FeeRate
from gongkao.core.dates import chinese_month_day
from gongkao.eligibility import get_policy
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.organizations.queries import (
    NoJurisdiction,
    reviewing_office,
    units_of_office,
)


def reviewer_scope(user: User) -> Q:
    """A filter on Application matching every file the user may review."""
    scope = Q(pk__in=[])
    for assignment in RoleAssignment.objects.filter(user=user).select_related("office"):
        scope |= scope_q(assignment)
    return scope


def material_file_for(user: User, pk: int) -> MaterialFile | None:
    """A file its owner or a reviewer in scope may open; None for anyone else."""
    stored = (
        MaterialFile.objects.select_related("material__application")
        .filter(pk=pk)
        .first()
    )
    if stored is None:
        return None
    application = stored.material.application
    if application.applicant_id == user.pk:
        return stored
    if (
        application.status != Status.DRAFT
        and Application.objects.filter(reviewer_scope(user), pk=application.pk).exists()
    ):
        return stored
    return None


def past_applications(user: User, current: Application | None) -> list[Application]:
    """The applicant's applications of other campaigns (往年申报), newest first."""
    qs = (
        Application.objects.filter(applicant=user)
        .select_related("campaign", "job_type", "unit")
        .order_by("-campaign__year", "-id")
    )
    if current is not None:
        qs = qs.exclude(pk=current.pk)
    return list(qs)


def own_application(user: User, pk: int) -> Application | None:
    """One of the applicant's own applications; None for anyone else's."""
    return (
        Application.objects.filter(applicant=user, pk=pk)
        .select_related("campaign", "job_type", "unit")
        .first()
    )


def history(application: Application) -> list[StatusChange]:
    return list(application.status_changes.order_by("at", "id"))


def latest_return(application: Application) -> StatusChange | None:
    return (
        application.status_changes.filter(to_status=Status.RETURNED)
        .order_by("-at", "-id")
        .first()
    )


def reasons_by_item(application: Application) -> dict[str, list[dict[str, Any]]]:
    """The current return's reasons, grouped by the item they concern."""
    if application.status != Status.RETURNED:
        return {}
    change = latest_return(application)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for reason in change.reasons if change else []:
        # Shown on every section and slot the reason unlocked (older returns:
        # on the item it named).
        for key in reason.get("unlocks") or [reason["item"]]:
            grouped.setdefault(key, []).append(reason)
    return grouped


def reasons_for_key(
    reasons: dict[str, list[dict[str, Any]]], key: str
) -> list[dict[str, Any]]:
    """The reasons concerning a section or `material:<slot>`, wildcards included."""
    found = list(reasons.get(key, []))
    if key.startswith("material:"):
        rule = key.removeprefix("material:").split(":", 1)[0]
        found += [r for r in reasons.get(f"material:{rule}:*", []) if r not in found]
    return found


def open_returned_items(application: Application) -> list[ReturnedItem]:
    """The items of the current return, each with `changed_labels`: what the
    applicant has changed so far of what it unlocked (empty: nothing yet)."""
    if application.status != Status.RETURNED:
        return []
    items = list(
        ReturnedItem.objects.filter(application=application, round=application.round)
    )
    _attach_changes(application, items)
    return items


def _attach_changes(application: Application, items: list[ReturnedItem]) -> None:
    if not items:
        return
    profile = ApplicantProfile.objects.filter(user_id=application.applicant_id).first()
    labels = (
        {s.key: s.label for s in material_slots(profile, application, ())}
        if profile is not None
        else {}
    )
    baseline: dict[str, str] = {}
    for returned in items:
        baseline.update(returned.baseline)
    changed = set(changed_keys(application, baseline))
    for returned in items:
        returned.changed_labels = [  # type: ignore[attr-defined]
            # In the order unlocked (jsonb keeps no key order).
            key_label(key, labels)
            for key in returned.unlocks
            if key in changed
        ]


def answered_return(application: Application) -> list[ReturnedItem]:
    """The items of the return the current round answers, for the reviewer:
    each with what changed (`changes`) or the applicant's explanation."""
    if application.round < 2:
        return []
    return list(
        ReturnedItem.objects.filter(
            application=application,
            round=application.round - 1,
            answered_at__isnull=False,
        )
    )


def holder_label(application: Application) -> str:
    """Who has the file now, in words for the status page."""
    holder = HOLDER.get(Status(application.status))
    unit = application.unit
    if holder == "applicant":
        return "申报人本人"
    if holder == "unit" and unit:
        return f"{unit}（单位审核）"
    if holder == "department" and unit and unit.supervising_department:
        return f"{unit.supervising_department}（主管部门审核）"
    if holder == "office" and unit:
        try:
            return f"{reviewing_office(unit)}（{application.get_status_display()}）"
        except NoJurisdiction:
            return "工考管理机构"
    return "—"


def scope_q(assignment: RoleAssignment, unit: str = "unit") -> Q:
    """The one rule of who sees what, as a filter on a model with a `unit` field:
    a clerk their unit, a department its subordinate units, an office the units
    it reviews. Any other role sees nothing."""
    if assignment.role == Role.UNIT_CLERK and assignment.unit_id is not None:
        return Q(**{f"{unit}_id": assignment.unit_id})
    if assignment.role == Role.DEPARTMENT_REVIEWER and assignment.unit_id is not None:
        return Q(**{f"{unit}__supervising_department_id": assignment.unit_id})
    if (
        assignment.role in (Role.OFFICE_REVIEWER, Role.OFFICE_ADMIN)
        and assignment.office
    ):
        return Q(**{f"{unit}__in": units_of_office(assignment.office)})
    return Q(pk__in=[])


UNIT_SEARCH_LIMIT = 15
UNIT_QUERY_MAX = 50


def units_matching(query: str) -> tuple[list[Unit], bool]:
    """Active units whose name or credit code contains `query` (cleaned: no NUL,
    at most UNIT_QUERY_MAX characters; every blank-separated word must match),
    at most UNIT_SEARCH_LIMIT of them by name, and whether more matched."""
    words = query.replace("\x00", "")[:UNIT_QUERY_MAX].split()
    if not words:
        return [], False
    found = Unit.objects.filter(is_active=True)
    for word in words:
        found = found.filter(Q(name__icontains=word) | Q(credit_code__iexact=word))
    units = list(found.order_by("name")[: UNIT_SEARCH_LIMIT + 1])
    return units[:UNIT_SEARCH_LIMIT], len(units) > UNIT_SEARCH_LIMIT


@dataclass(frozen=True)
class NextStep:
    """What happens next, for the status page: a sentence, the things to do
    (at the on-site check: what to bring, where) and a deadline that has not
    passed (None when there is none or it has passed)."""

    text: str
    details: list[str] = field(default_factory=list)
    deadline: date | None = None
    deadline_label: str = ""


def upcoming(day: date | None, today: date) -> date | None:
    """`day` if it is today or later: a past date is never shown as next."""
    return day if day and day >= today else None


def _office(application: Application) -> ExamOffice | None:
    if application.unit is None:
        return None
    try:
        return reviewing_office(application.unit)
    except NoJurisdiction:
        return None


def _originals(application: Application) -> list[str]:
    """The originals to bring to the on-site check: every material of the
    application's checklist but the photo."""
    profile = ApplicantProfile.objects.filter(user_id=application.applicant_id).first()
    if profile is None:
        return []
    policy = get_policy(application.policy_id or application.campaign.policy_id)
    slots = material_slots(profile, application, policy.review_years)
    return [slot.label for slot in slots if not slot.photo]


def next_step(application: Application, today: date) -> NextStep:
    """What the applicant is waiting for or must do, for every status."""
    campaign = application.campaign
    status = application.status
    unit = application.unit
    online_deadline = upcoming(campaign.online_review_deadline, today)
    if status == Status.DRAFT:
        end = max(
            campaign.registration_end,
            application.extended_until or campaign.registration_end,
        )
        if today > end:
            return NextStep(
                "网上注册报名已截止，现在不能提交。确有特殊情况的，可由所在单位向"
                "工考办申请延期报名；延期获准后会以短信通知您。"
            )
        if today < campaign.registration_start:
            return NextStep(
                f"网上注册报名{chinese_month_day(campaign.registration_start)}开始，"
                "可以先填写个人信息和上传材料。",
                deadline=end,
                deadline_label="前提交",
            )
        return NextStep(
            "填写个人信息、上传材料，自查后提交给所在单位审核。",
            deadline=end,
            deadline_label="前提交",
        )
    if status == Status.RETURNED:
        due = upcoming(application.resubmit_by, today)
        if due is None:
            return NextStep(
                "重新提交的期限已过，不能再提交。如有疑问，请联系所在单位人事部门。"
            )
        return NextStep(
            "按退回意见修改后重新提交；修改后的申报从单位审核重新开始。",
            details=[
                f"{item.label}：{item.text}"
                + ("（已修改）" if item.changed_labels else "（待修改）")  # type: ignore[attr-defined]
                for item in open_returned_items(application)
            ],
            deadline=due,
            deadline_label=f"前重新提交（{campaign.resubmit_working_days}个工作日）",
        )
    if status == Status.UNIT_REVIEW:
        return NextStep(
            f"等待所在单位（{unit}）审核。审核通过后"
            + (
                "报主管部门审核。"
                if unit and unit.supervising_department_id
                else "报工考办资格审查。"
            ),
            deadline=online_deadline,
            deadline_label="前完成网上资格审核",
        )
    if status == Status.DEPARTMENT_REVIEW:
        department = unit.supervising_department if unit else None
        return NextStep(
            f"等待主管部门（{department or '主管部门'}）审核，通过后报工考办资格审查。",
            deadline=online_deadline,
            deadline_label="前完成网上资格审核",
        )
    office = _office(application)
    office_name = str(office) if office else "工考办"
    if status == Status.QUALIFICATION_REVIEW:
        return NextStep(
            f"等待{office_name}资格审查。需要现场审查确认的，工考办会通知您携带原件到场。",
            deadline=upcoming(campaign.review_end, today),
            deadline_label="前完成资格审查",
        )
    if status == Status.ONSITE_CHECK:
        # 3.3: the unit's personnel department takes the originals to the office
        # and settles the on-site check and the fee for its applicants.
        details = []
        originals = _originals(application)
        if originals:
            details.append(
                "带什么：以下材料的原件，交所在单位人事部门："
                + "、".join(originals)
                + "。"
            )
        if office is not None:
            where = office.address or "办公地点请电话询问"
            contact = f"，电话 {office.phone}" if office.phone else ""
            details.append(f"到哪里：{office_name}（{where}{contact}）。")
        fee = (
            FeeRate.objects.filter(campaign=campaign, level=application.level).first()
            if application.level
            else None
        )
        if fee is not None and fee.amount > 0:
            details.append(f"考核费：{fee.amount.normalize():f}元，现场缴纳。")
        due = upcoming(campaign.review_end, today)
        if due is None:
            details.append("现场审查确认时间已过，请尽快联系所在单位和工考办。")
        return NextStep(
            f"现场审查确认：所在单位（{unit}）人事部门携带申报材料原件到"
            f"{office_name}统一办理现场审查确认和报名缴费。",
            details,
            deadline=due,
            deadline_label="前办理完毕",
        )
    if status == Status.QUALIFIED:
        training = upcoming(campaign.training_start, today)
        return NextStep(
            "资格审查已通过。培训和考试的时间、地点由工考办另行通知，请留意短信和本系统消息。",
            deadline=training,
            deadline_label="起开始培训" if training else "",
        )
    if status == Status.NOT_QUALIFIED:
        return NextStep(
            "资格审查未通过，原因见下方办理记录。对结论有异议的，可在规定的工作日内"
            "向工考办申请复核（点“申请复核”）。"
        )
    return NextStep("申报已撤回，本年度不能再提交。")

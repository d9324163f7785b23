"""Every write to an application: editing, uploads, submission, returns, the sweep.

`transition` is the only function that changes a status. It locks the row,
checks states.TRANSITIONS, writes one StatusChange row and queues the
notifications for after the commit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.idnumbers import mask_id_number
from gongkao.accounts.models import User
from gongkao.applications.checklist import Slot, item_label, material_slots, slot_labels
from gongkao.applications.models import (
    CHOICE_FIELDS,
    PROFILE_FIELDS,
    AnnualReview,
    ApplicantProfile,
    Application,
    ExamBan,
    HeldCertificate,
    Honor,
    Material,
    MaterialFile,
    Patent,
    RegistrationExtension,
    ReturnedItem,
    StatusChange,
)
from gongkao.applications.permissions import (
    NotEditable,
    check_editable,
    check_upload_allowed,
    window_open,
)
from gongkao.applications.queries import open_returned_items
from gongkao.applications.records import build_record, check_record, missing_fields
from gongkao.applications.states import EDITABLE, TRANSITIONS, Status
from gongkao.applications.unlocks import (
    item_states,
    section_of_clause,
    unlocked_by,
)
from gongkao.campaigns.models import Campaign
from gongkao.campaigns.queries import campaign_for_unit
from gongkao.core.audit import log_chain_head
from gongkao.core.dates import chinese_date, chinese_month_day
from gongkao.core.models import AuditEvent, Notification
from gongkao.core.notifications import notify
from gongkao.core.queries import work_calendar
from gongkao.core.services import record_audit
from gongkao.core.sms import mask_phone
from gongkao.core.uploads import (
    CheckedFile,
    PhotoRule,
    check_upload,
)
from gongkao.core.workdays import add_working_days
from gongkao.eligibility import Policy
from gongkao.policies.queries import policy_or_message
from gongkao.policies.services import record_judgement

logger = logging.getLogger("gongkao.applications")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class InvalidTransition(Exception):
    def __init__(self, current: str, to: str) -> None:
        super().__init__(f"不能从“{Status(current).label}”变为“{Status(to).label}”。")
        self.current, self.to = current, to


class SubmissionRefused(Exception):
    """Carries the problems, each as (section, Chinese message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("；".join(message for _, message in problems))
        self.problems = problems


# Apps above this one follow submissions through hooks they register in their
# AppConfig.ready(), so that applications never imports them (no signals:
# the calls stay visible here).
SubmittedHook = Callable[[Application, User], None]
_submitted_hooks: list[SubmittedHook] = []


def on_submitted(hook: SubmittedHook) -> None:
    """Call `hook(application, by)` inside every submission's transaction."""
    if hook not in _submitted_hooks:
        _submitted_hooks.append(hook)


# --- the status machine -----------------------------------------------------


def transition(
    application: Application,
    to: Status,
    *,
    by: User | None,
    reasons: Iterable[dict[str, Any]] = (),
    note: str = "",
    already_locked: bool = False,
    also_save: Sequence[str] = (),
) -> Application:
    """Move `application` to `to`, or raise InvalidTransition.

    Side effects: locks the row, writes one StatusChange (from, to, by, when,
    reasons, round), sets `status_since`, and for a return remembers the
    step it came from. Notifications are the caller's (they know the words).
    `already_locked`: the caller's transaction has locked the row and read
    `application` under that lock (the submission): no second read, and the
    caller's transaction holds the writes; `also_save` then names fields the
    caller set on it, saved in the same UPDATE as the status.
    """
    if already_locked:
        # Checked before the first write: a refusal leaves the caller's
        # transaction usable, without a savepoint around every submission.
        _check_transition(application.status, to)
        with transaction.atomic(savepoint=False):
            return _move(application, application, to, by, reasons, note, also_save)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _check_transition(locked.status, to)
        return _move(application, locked, to, by, reasons, note, also_save)


def _check_transition(current: str, to: Status) -> None:
    if to not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(current, to)


def _move(
    application: Application,
    locked: Application,
    to: Status,
    by: User | None,
    reasons: Iterable[dict[str, Any]],
    note: str,
    also_save: Sequence[str],
) -> Application:
    current = locked.status
    now = timezone.now()
    StatusChange.objects.create(
        application=locked,
        from_status=current,
        to_status=to,
        by=by,
        by_label=str(by) if by else "系统",
        round=locked.round,
        reasons=list(reasons),
        note=note,
    )
    locked.status = to
    locked.status_since = now
    fields = ["status", "status_since", "updated_at"]
    if to == Status.RETURNED:
        locked.returned_from = current
        fields.append("returned_from")
    locked.save(update_fields=[*also_save, *fields])
    # Keep the caller's instance in step with the row.
    for field in fields:
        setattr(application, field, getattr(locked, field))
    return application


# --- the applicant's data ---------------------------------------------------


def profile_for(
    user: User, *, related: str = "unit__division__parent"
) -> ApplicantProfile:
    # By default with the unit, its division and the one above: the campaign
    # is found from them.
    profile, created = ApplicantProfile.objects.select_related(related).get_or_create(
        user=user
    )
    if created and user.sex:
        profile.retirement_group = "male_60" if user.sex == "M" else "female_50"
        profile.save(update_fields=["retirement_group"])
    return profile


def loaded_profile(
    user: User, profile: ApplicantProfile | None = None
) -> ApplicantProfile:
    """The profile with what the engine's record and the checklist read
    (annual reviews, certificates, honours, patents) loaded once, for a
    request or service that reads them several times over. `profile`: the
    user's, when the caller has already read it."""
    profile = profile or profile_for(user)
    profile.user = user  # the caller's instance: no second read of the account
    prefetch_related_objects(
        [profile], "annual_reviews", "certificates", "honors", "patents"
    )
    return profile


def campaign_for_applicant(
    user: User, profile: ApplicantProfile | None = None
) -> Campaign | None:
    """The current campaign of the applicant's city (by their unit). Before a
    unit is chosen: the campaign of their latest draft, else the installation's."""
    profile = profile or profile_for(user)
    if profile.unit_id is not None:
        return campaign_for_unit(profile.unit)
    draft = (
        Application.objects.filter(applicant=user, status=Status.DRAFT)
        .select_related("campaign")
        .order_by("-campaign__year")
        .first()
    )
    return draft.campaign if draft is not None else campaign_for_unit(None)


def application_for(
    user: User, campaign: Campaign, profile: ApplicantProfile | None = None
) -> Application:
    profile = profile or profile_for(user)
    application, _ = Application.objects.select_related("job_type").get_or_create(
        applicant=user,
        campaign=campaign,
        defaults={"unit": profile.unit, "policy_id": campaign.policy_id},
    )
    # The caller's instances: no second read of the account or the campaign.
    application.applicant = user
    application.campaign = campaign
    return application


def _lock_for_edit(application: Application, item: str) -> Application:
    """Lock the application, then check on the locked row that `item` may change:
    a submission or a return at the same moment is seen, never undone."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_editable(locked, item)
    return locked


@transaction.atomic
def save_profile(application: Application, profile: ApplicantProfile) -> None:
    """Save the basic profile (fields already set from the form) and the
    declaration of 2.6; a draft follows the applicant's unit."""
    locked = _lock_for_edit(application, "basic")
    profile.declared_at = profile.declared_at or timezone.now()
    profile.save(update_fields=[*PROFILE_FIELDS, "declared_at", "updated_at"])
    if locked.status == Status.DRAFT and locked.unit_id != profile.unit_id:
        locked.unit = profile.unit
        locked.save(update_fields=["unit", "updated_at"])
        _follow_unit_city(locked)


def _follow_unit_city(draft: Application) -> None:
    """A draft moves to the campaign of its unit's city (an applicant who picked
    a unit of another city), unless they already have an application there."""
    campaign = campaign_for_unit(draft.unit)
    if campaign is None or campaign.pk == draft.campaign_id:
        return
    if Application.objects.filter(
        applicant=draft.applicant, campaign=campaign
    ).exists():
        return
    draft.campaign = campaign
    draft.policy_id = campaign.policy_id
    draft.save(update_fields=["campaign", "policy_id", "updated_at"])


@transaction.atomic
def add_profile_item(
    application: Application, item: HeldCertificate | Honor | Patent, section: str
) -> None:
    """A certificate, honour or patent added to the applicant's profile."""
    _lock_for_edit(application, section)
    item.profile = profile_for(application.applicant)
    item.save()


@transaction.atomic
def delete_profile_item(
    application: Application, item: HeldCertificate | Honor | Patent, section: str
) -> None:
    _lock_for_edit(application, section)
    item.delete()


@transaction.atomic
def save_annual_reviews(
    application: Application, results: dict[int, tuple[str, bool]]
) -> None:
    """Year → (result or "", excellent party member); an empty result removes the year."""
    _lock_for_edit(application, "annual_reviews")
    profile = profile_for(application.applicant)
    for year, (result, party) in results.items():
        if result:
            AnnualReview.objects.update_or_create(
                profile=profile,
                year=year,
                defaults={"result": result, "excellent_party_member": party},
            )
        else:
            AnnualReview.objects.filter(profile=profile, year=year).delete()


@transaction.atomic
def save_application_choices(
    application: Application, acknowledged: dict[str, bool]
) -> None:
    """Level, job type and job-type change (already set from the form), and the
    notice's acknowledgements, each keeping the time it was first given."""
    _lock_for_edit(application, "application")
    now = timezone.now()
    for stamp, given in acknowledged.items():
        setattr(
            application, stamp, (getattr(application, stamp) or now) if given else None
        )
    application.save(update_fields=[*CHOICE_FIELDS, *acknowledged, "updated_at"])


def policy_of(application: Application) -> tuple[Policy | None, str]:
    """The policy that judges the application, or (None, a Chinese message).

    A draft (or a returned file) is judged by its campaign's policy as it is
    now; a submitted one by the policy it was submitted under.
    """
    policy_id = application.campaign.policy_id
    if application.status not in EDITABLE and application.policy_id:
        policy_id = application.policy_id
    return policy_or_message(policy_id)


def notice_text(policy: Policy | None, line: str) -> str:
    """The notice's own words for the clause an explanation line starts with."""
    if policy is None:
        return ""
    return policy.clause_text(line.split(" ", 1)[0])


def slots_for(
    application: Application, profile: ApplicantProfile | None = None
) -> list[Slot]:
    """The material slots the application asks for (`profile`: the
    applicant's, when the caller has it loaded)."""
    profile = profile or profile_for(application.applicant)
    policy, _ = policy_of(application)
    # Without a usable policy no annual-review year is asked for; the
    # submission is refused with the policy's message (submission_problems).
    years = policy.review_years if policy is not None else ()
    return material_slots(profile, application, years)


@transaction.atomic
def upload_material(
    application: Application, slot_key: str, data: bytes, filename: str, *, by: User
) -> MaterialFile:
    """Check the file by content, then store it as the slot's next version.

    A rejected file raises UploadRejected and leaves the current version as
    it was. Deferred materials may be uploaded after submission.
    """
    # Lock the application: a submission at the same moment must snapshot
    # either the old file or the new one, not half of each.
    application = Application.objects.select_for_update().get(pk=application.pk)
    slots = {slot.key: slot for slot in slots_for(application)}
    slot = slots.get(slot_key)
    if slot is None:
        raise NotEditable("没有这一项材料。")
    check_upload_allowed(application, slot)
    checked: CheckedFile = check_upload(
        data,
        filename,
        max_bytes=MAX_UPLOAD_BYTES,
        photo=PhotoRule() if slot.photo else None,
    )
    material, _ = Material.objects.select_for_update().get_or_create(
        application=application, slot=slot_key
    )
    version = (
        material.versions.order_by("-version").values_list("version", flat=True).first()
        or 0
    ) + 1
    stored = MaterialFile(
        material=material,
        version=version,
        extension=checked.extension,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        width=checked.width,
        height=checked.height,
        original_name=mask_numbers(filename)[:200],
        uploaded_by=by,
    )
    stored.file.save(
        "upload" + checked.extension, ContentFile(checked.content), save=False
    )
    # If the database write fails, do not leave an orphan file behind.
    try:
        stored.save()
    except Exception:
        stored.file.delete(save=False)
        raise
    material.current = stored
    material.save(update_fields=["current"])
    # Not the file's own name: it may hold a name or an ID number.
    record_audit(
        AuditEvent.Action.MATERIAL_UPLOADED,
        by=by,
        target=application,
        after={
            "slot": slot_key,
            "version": version,
            "sha256": checked.sha256,
            "size": len(checked.content),
            "content_type": checked.content_type,
        },
    )
    return stored


def record_material_read(
    stored: MaterialFile,
    *,
    by: User,
    download: bool,
    request: HttpRequest | None = None,
) -> None:
    """Audit who read which uploaded file (the owner and reviewers alike).

    The caller has checked the reader's scope (`queries.material_file_for`).
    """
    record_audit(
        AuditEvent.Action.MATERIAL_READ,
        by=by,
        target=stored.material.application,
        after={
            "file": stored.pk,
            "slot": stored.material.slot,
            "version": stored.version,
            "download": download,
        },
        request=request,
    )


# An ID number (18 or 15 digits) or a mobile number inside a longer text.
_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![\dXx])")


def mask_numbers(text: str) -> str:
    """`text` with ID and mobile numbers masked: people name a scan after
    their ID number, and no table keeps one in clear."""
    return _NUMBER_IN_TEXT.sub(
        lambda m: mask_phone(m[0]) if len(m[0]) == 11 else mask_id_number(m[0]),
        text,
    )


# --- submission -------------------------------------------------------------


@transaction.atomic
def save_pledges(application: Application, *, pledge: bool, defer: bool) -> None:
    """Record (or withdraw) the truthfulness pledge and the 容缺后补 commitment,
    keeping the first time each was given. Only while the applicant may edit."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in EDITABLE:
        return
    _set_pledges(application, pledge=pledge, defer=defer)
    application.save(
        update_fields=["pledged_at", "deferred_committed_at", "updated_at"]
    )


def _set_pledges(application: Application, *, pledge: bool, defer: bool) -> None:
    now = timezone.now()
    application.pledged_at = (application.pledged_at or now) if pledge else None
    application.deferred_committed_at = (
        (application.deferred_committed_at or now) if defer else None
    )


def submission_problems(
    application: Application,
    today: date,
    explanations: Mapping[int, str] | None = None,
    *,
    profile: ApplicantProfile | None = None,
    uploaded: set[str] | None = None,
) -> list[tuple[str, str]]:
    """Everything that stops submission, as (section or item, Chinese message).

    A returned application must change each returned item or explain, in
    `explanations` (ReturnedItem id → text), why it does not. `profile`: the
    applicant's, when the caller has it loaded (`loaded_profile`); `uploaded`:
    the slots with a current file, when the caller has read them.
    """
    problems: list[tuple[str, str]] = []
    profile = profile or loaded_profile(application.applicant)
    if profile.unit_id is None:
        problems.append(("basic", "请选择工作单位。"))
    record = build_record(profile, application)
    for section, label in missing_fields(record):
        problems.append((section, f"请填写{label}。"))
    if profile.declared_at is None:
        problems.append(("basic", "请确认不存在不得申报的情形（声明）。"))
    ban = (
        ExamBan.objects.filter(user=application.applicant, until__gte=today)
        .order_by("-until")
        .first()
    )
    if ban is not None:
        problems.append(
            (
                "submit",
                f"2.6 您因考试违纪违规（{ban.reason}），"
                f"{ban.until.year}年{ban.until.month}月{ban.until.day}日前不得申报考核。",
            )
        )
    if application.ack_policy_at is None:
        problems.append(("application", "请确认已了解岗位聘用有关政策。"))
    if application.level == 1 and application.ack_level1_at is None:
        problems.append(("application", "请阅读并确认一级考评的提示。"))
    if (
        application.job_type_change != "none"
        and not application.job_type_change_reason.strip()
    ):
        problems.append(("application", "请说明转换岗位工种的情况。"))
    policy, unavailable = policy_of(application)
    if policy is None:
        problems.append(("submit", unavailable))
    result = (
        check_record(record, policy, today)
        if policy is not None and not problems
        else None
    )
    if result is not None:
        if (
            any(w.startswith("1.2") for w in result.warnings)
            and application.ack_retirement_at is None
        ):
            problems.append(
                (
                    "application",
                    "您在本年度达到退休年龄，请确认已了解岗位聘用规定并经单位同意。",
                )
            )
        if not result.eligible:
            for line in result.explanation:
                clause = line.split(" ", 1)[0]
                if clause in result.failed:
                    problems.append((section_of_clause(clause), line))
    uploaded = uploaded_slots(application) if uploaded is None else uploaded
    for slot in slots_for(application, profile):
        if slot.key in uploaded:
            continue
        if slot.deferrable and application.deferred_committed_at:
            continue
        hint = "（可承诺容缺后补）" if slot.deferrable else ""
        problems.append((f"material:{slot.key}", f"请上传：{slot.label}{hint}。"))
    if application.pledged_at is None:
        problems.append(("submit", "请阅读并勾选真实性承诺。"))
    return unanswered_returns(application, explanations) + problems


def unanswered_returns(
    application: Application, explanations: Mapping[int, str] | None = None
) -> list[tuple[str, str]]:
    """Each returned item neither changed nor explained, as a problem under
    the first section it unlocked ("materials" for a slot)."""
    explanations = explanations or {}
    problems = []
    for returned in open_returned_items(application):
        if returned.changed_labels or (explanations.get(returned.pk) or "").strip():  # type: ignore[attr-defined]
            continue
        where = next(
            (k for k in returned.unlocks if not k.startswith("material:")), "materials"
        )
        problems.append(
            (
                where,
                f"退回事项“{returned.label}”还没有修改（退回意见：{returned.text}）。"
                "请按意见修改；确实无需修改的，请在重新提交时说明理由。",
            )
        )
    return problems


@transaction.atomic
def submit_application(
    application: Application,
    *,
    by: User,
    explanations: Mapping[int, str] | None = None,
    pledge: bool | None = None,
    defer: bool = False,
) -> bool:
    """Submit (or resubmit) to unit review. Returns False if it was already submitted.

    Snapshots the data, the materials and the engine's result with its policy
    id. A resubmission records, per returned item, what changed or the
    applicant's explanation (`explanations`: ReturnedItem id → text).
    `pledge` and `defer`, when given, are the boxes of the submit form, saved
    with the submission (`save_pledges` keeps them after a refusal).
    Raises SubmissionRefused with every problem otherwise.
    """
    # The campaign (its policy and window decide) and the job type come with
    # the locked row; only the application's row is locked. The account is
    # the caller's (the request's user, read a moment ago).
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "job_type")
        .get(pk=application.pk)
    )
    if application.applicant_id == locked.applicant_id:
        locked.applicant = application.applicant
    if locked.status not in EDITABLE:
        return False  # a second click of the same submission
    if pledge is not None:
        _set_pledges(locked, pledge=pledge, defer=defer)
    today = timezone.localdate()
    resubmitting = locked.status == Status.RETURNED
    if resubmitting:
        late = locked.resubmit_by is not None and today > locked.resubmit_by
        if late and not window_open(locked, today):
            raise SubmissionRefused(
                [
                    (
                        "submit",
                        f"重新提交的期限（{chinese_date(locked.resubmit_by)}）已过，"
                        "请联系单位或工考办。",
                    )
                ]
            )
    elif not window_open(locked, today):
        campaign = locked.campaign
        raise SubmissionRefused(
            [
                (
                    "submit",
                    f"网上注册报名时间为{chinese_month_day(campaign.registration_start)}至"
                    f"{chinese_month_day(campaign.registration_end)}，现在不在报名时间内。"
                    "确有特殊情况的，可由所在单位向工考办申请延期报名。",
                )
            ]
        )
    # Read under the lock: an edit of the profile locks the application too,
    # so what is judged is what the profile holds when the file is submitted.
    # Only the unit comes with it: its name goes into the snapshot, and the
    # campaign came with the locked row.
    profile = loaded_profile(
        locked.applicant, profile_for(locked.applicant, related="unit")
    )
    current = list(
        Material.objects.filter(application=locked, current__isnull=False)
        .select_related("current")
        .order_by("pk")
    )
    problems = submission_problems(
        locked,
        today,
        explanations,
        profile=profile,
        uploaded={m.slot for m in current},
    )
    if problems:
        raise SubmissionRefused(problems)
    answered = _answer_returned_items(locked, explanations) if resubmitting else []
    record = build_record(profile, locked)
    policy, _ = policy_of(locked)
    assert policy is not None  # submission_problems refused it otherwise
    result = check_record(record, policy, today)
    assert result is not None
    materials = [
        {"slot": m.slot, "version": m.current.version, "sha256": m.current.sha256}  # type: ignore[union-attr]
        for m in current
    ]
    locked.unit = profile.unit
    locked.policy_id = policy.policy_id
    locked.policy_hash = policy.content_hash
    locked.eligibility = result.to_json()
    locked.route = result.route or ""
    locked.snapshot = {
        "record": record,
        "materials": materials,
        "unit": str(profile.unit),
        "submitted_on": today.isoformat(),
    }
    if resubmitting:
        locked.resubmit_overdue = locked.resubmit_overdue or bool(
            locked.resubmit_by and today > locked.resubmit_by
        )
        locked.return_items = []
        locked.resubmit_by = None
    else:
        locked.submitted_at = timezone.now()
    locked.round += 1
    record_judgement(policy.policy_id)
    # One UPDATE: the submission's fields with the status.
    transition(
        locked,
        Status.UNIT_REVIEW,
        by=by,
        note="重新提交" if resubmitting else "提交申报",
        already_locked=True,
        also_save=[
            "unit",
            "policy_id",
            "policy_hash",
            "eligibility",
            "route",
            "snapshot",
            "resubmit_overdue",
            "return_items",
            "resubmit_by",
            "submitted_at",
            "round",
            "pledged_at",
            "deferred_committed_at",
        ],
    )
    for hook in _submitted_hooks:
        # The review chain: a new or resubmitted file reopens a batch that
        # had finished online review.
        hook(locked, by)
    notify(
        locked.applicant,
        Notification.Kind.SUBMITTED,
        "申报已重新提交" if resubmitting else "申报已提交",
        f"您的{locked.get_level_display()}{locked.job_type}申报已提交，等待{locked.unit}审核。"
        "请随时关注审核进度。",
        target=locked,
    )
    # Last, after the hooks' batch lock: the audit chain's head stays locked
    # until commit, and taking it before another lock could deadlock.
    record_audit(
        AuditEvent.Action.RESUBMITTED if resubmitting else AuditEvent.Action.SUBMITTED,
        by=by,
        target=locked,
        after={
            "round": locked.round,
            "policy_id": locked.policy_id,
            "policy_hash": locked.policy_hash,
            "materials": materials,
            "resubmit_overdue": locked.resubmit_overdue,
            **({"returned": answered} if resubmitting else {}),
        },
    )
    # The caller's instance as the row now is, without reading it again.
    for column in Application._meta.concrete_fields:
        setattr(application, column.attname, getattr(locked, column.attname))
    return True


def _answer_returned_items(
    locked: Application, explanations: Mapping[int, str] | None
) -> list[dict[str, Any]]:
    """Record on each returned item what changed, or the applicant's reason
    for changing nothing; returns the audit's summary (no free text)."""
    explanations = explanations or {}
    now = timezone.now()
    summary = []
    for returned in open_returned_items(locked):
        returned.changes = returned.changed_labels  # type: ignore[attr-defined]
        returned.explanation = (explanations.get(returned.pk) or "").strip()[:200]
        returned.answered_at = now
        returned.save(update_fields=["changes", "explanation", "answered_at"])
        summary.append(
            {
                "item": returned.item,
                "changed": bool(returned.changes),
                "explained": bool(returned.explanation),
            }
        )
    return summary


# --- returns and the unit's minimal review ----------------------------------


def return_application(
    application: Application, *, by: User, reasons: list[dict[str, str]]
) -> Application:
    """Return to the applicant with reasons per item and a deadline of N working days.

    `reasons` items: {"item": …, "code": …, "text": …, optional "label"}; an
    item is what the reviewer named: a section, "material:<slot>",
    "clause:<number>" or "consent:<name>". Each item unlocks the sections and
    slots that prove it (`unlocks.unlocked_by`), and only those may change
    until resubmission; a ReturnedItem row per item keeps what they held, so
    that the resubmission shows what changed.
    """
    if not reasons:
        raise ValueError("a return needs at least one reason")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        campaign = locked.campaign
        today = timezone.localdate()
        labels = slot_labels(slots_for(locked))
        policy, _ = policy_of(locked)
        enriched: list[dict[str, Any]] = []
        for r in reasons:
            unlocks = unlocked_by(r["item"], policy)
            enriched.append(
                {
                    **r,
                    "label": r.get("label") or item_label(r["item"], labels),
                    "unlocks": unlocks,
                }
            )
        transition(locked, Status.RETURNED, by=by, reasons=enriched)
        unlocked = sorted({key for r in enriched for key in r["unlocks"]})
        locked.return_items = unlocked
        locked.returns_count += 1
        locked.resubmit_by = add_working_days(
            today,
            campaign.resubmit_working_days,
            count_start_day=campaign.count_trigger_day,
            calendar=work_calendar(),
        )
        locked.save(
            update_fields=["return_items", "resubmit_by", "returns_count", "updated_at"]
        )
        _record_returned_items(locked, enriched)
        notify(
            locked.applicant,
            Notification.Kind.RETURNED,
            "申报被退回",
            f"您的申报被退回，请在{chinese_month_day(locked.resubmit_by)}前按意见修改后重新提交："
            + "；".join(f"{r['label']}：{r['text']}" for r in enriched),
            target=locked,
        )
    application.refresh_from_db()
    return application


def _record_returned_items(locked: Application, reasons: list[dict[str, Any]]) -> None:
    """One ReturnedItem per item of this round (two reasons for one item: one
    row, both texts), with a digest of what each unlocked key holds now."""
    by_item: dict[str, dict[str, Any]] = {}
    for r in reasons:
        if r["item"] in by_item:
            by_item[r["item"]]["text"] += "；" + r["text"]
        else:
            by_item[r["item"]] = dict(r)
    states = item_states(locked, {k for r in reasons for k in r["unlocks"]})
    ReturnedItem.objects.filter(application=locked, round=locked.round).delete()
    ReturnedItem.objects.bulk_create(
        ReturnedItem(
            application=locked,
            round=locked.round,
            item=item[:80],
            label=r["label"][:200],
            code=(r.get("code") or "")[:30],
            text=r["text"][:500],
            unlocks=r["unlocks"],
            baseline={key: states[key] for key in r["unlocks"]},
        )
        for item, r in by_item.items()
    )


@transaction.atomic
def withdraw_application(application: Application, *, by: User) -> Application:
    before = application.status
    transition(application, Status.WITHDRAWN, by=by, note="申报人撤回")
    record_audit(
        AuditEvent.Action.WITHDRAWN,
        by=by,
        target=application,
        before={"status": before},
        after={"status": Status.WITHDRAWN.value},
    )
    return application


class ExtensionRefused(Exception):
    """An extension that cannot be granted; the message is Chinese."""


def check_extension(until: date, today: date) -> None:
    """Only a day after today: a past or present day would extend nothing."""
    if until <= today:
        raise ExtensionRefused("延期日期须晚于今天。")


@transaction.atomic
def extend_registration(
    application: Application, *, until: date, reason: str, by: User
) -> RegistrationExtension:
    """An office lets one applicant submit after the registration window.

    Each grant is a new RegistrationExtension row and an audit row; the
    application keeps the latest day. The applicant gets a message and an SMS
    after the commit. Raises ExtensionRefused for a day not after today,
    ValueError without a reason.
    """
    if not reason.strip():
        raise ValueError("an extension needs a reason")
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=application.pk)
    )
    check_extension(until, timezone.localdate())
    before = {
        "extended_until": locked.extended_until.isoformat()
        if locked.extended_until
        else None,
        "extension_reason": locked.extension_reason,
    }
    grant = RegistrationExtension.objects.create(
        application=locked, until=until, reason=reason.strip(), granted_by=by
    )
    locked.extended_until = until
    locked.extension_reason = reason.strip()
    locked.extended_by = by
    locked.save(
        update_fields=[
            "extended_until",
            "extension_reason",
            "extended_by",
            "updated_at",
        ]
    )
    notify(
        locked.applicant,
        Notification.Kind.DECISION,
        "报名延期获准",
        f"工考办已允许您在{chinese_date(until)}前提交申报，请按时提交。",
        target=locked,
    )
    record_audit(
        AuditEvent.Action.REGISTRATION_EXTENDED,
        by=by,
        target=locked,
        before=before,
        after={
            "extended_until": until.isoformat(),
            "extension_reason": reason.strip(),
            "grant": grant.pk,
        },
    )
    return grant


# --- the deadline sweep -----------------------------------------------------


def uploaded_slots(application: Application) -> set[str]:
    """The material slots that have a current file."""
    return set(
        Material.objects.filter(
            application=application, current__isnull=False
        ).values_list("slot", flat=True)
    )


def missing_deferred(application: Application) -> list[Slot]:
    uploaded = uploaded_slots(application)
    return [s for s in slots_for(application) if s.deferrable and s.key not in uploaded]


def sweep_deadlines(today: date | None = None) -> dict[str, int]:
    """Idempotent: run it daily (cron). Counts what it changed.

    - a return past its deadline is marked overdue (it feeds the circular);
    - a return still unanswered when both the review window and its own
      deadline are over becomes not qualified;
    - a deferred annual review still missing after its deadline makes the
      application not qualified (3.4);
    - the day before a resubmission deadline, the applicant is reminded.

    Each application is handled in its own transaction: one that changed
    meanwhile (resubmitted, decided) is skipped, not the whole sweep.
    """
    today = today or timezone.localdate()
    calendar = work_calendar()
    tomorrow = add_working_days(today, 1, calendar=calendar)
    counts = {"overdue": 0, "closed_returns": 0, "deferred_missing": 0, "reminders": 0}
    returned = Application.objects.filter(status=Status.RETURNED).select_related(
        "campaign", "applicant"
    )
    for app in returned:
        if app.resubmit_by and today > app.resubmit_by and not app.resubmit_overdue:
            Application.objects.filter(pk=app.pk).update(resubmit_overdue=True)
            counts["overdue"] += 1
        closes = max(
            app.campaign.review_end, app.resubmit_by or app.campaign.review_end
        )
        if today > closes:
            if _close_in_sweep(
                app,
                Status.RETURNED,
                reason="退回后在资格审查结束前未重新提交",
                item="submit",
                code="not_resubmitted",
                label="重新提交",
                note="审查期结束未重新提交",
                message="您的申报被退回后，在资格审查结束前没有重新提交，资格审查不通过。",
                dedupe_key=f"closed-return-{app.pk}",
            ):
                counts["closed_returns"] += 1
        elif (app.resubmit_by and tomorrow >= app.resubmit_by >= today) and notify(
            app.applicant,
            Notification.Kind.REMINDER,
            "请尽快重新提交",
            f"您的申报被退回，请在{chinese_month_day(app.resubmit_by)}前修改并重新提交。",
            target=app,
            dedupe_key=f"resubmit-{app.pk}-{app.round}",
        ):
            counts["reminders"] += 1
    deferred = (
        Application.objects.filter(deferred_committed_at__isnull=False)
        .exclude(status__in=[Status.DRAFT, Status.NOT_QUALIFIED, Status.WITHDRAWN])
        .select_related("campaign", "applicant")
    )
    for app in deferred:
        deadline = app.campaign.deferred_materials_deadline
        if today <= deadline or not missing_deferred(app):
            continue
        if _close_in_sweep(
            app,
            Status(app.status),
            reason="承诺容缺后补的年度考核结果未按时上传",
            item="annual_reviews",
            code="deferred_missing",
            label="年度考核",
            note="容缺后补材料逾期未上传",
            message=f"您承诺容缺后补的年度考核结果未在{chinese_month_day(deadline)}前上传，"
            "视为资格审查不通过。",
            dedupe_key=f"deferred-{app.pk}",
        ):
            counts["deferred_missing"] += 1
    # A later cut of the newest audit rows shows against this line of the log.
    log_chain_head()
    return counts


def _close_in_sweep(
    app: Application,
    expected: Status,
    *,
    reason: str,
    item: str,
    code: str,
    label: str,
    note: str,
    message: str,
    dedupe_key: str,
) -> bool:
    """Make `app` not qualified if it is still `expected`; False when it moved on."""
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=app.pk)
            if locked.status != expected:
                return False
            transition(
                locked,
                Status.NOT_QUALIFIED,
                by=None,
                note=note,
                reasons=[{"item": item, "code": code, "text": reason, "label": label}],
            )
            notify(
                locked.applicant,
                Notification.Kind.DECISION,
                "资格审查不通过",
                message,
                target=locked,
                dedupe_key=dedupe_key,
            )
    except InvalidTransition:
        logger.warning(
            "sweep: application %s cannot become not qualified from %s",
            app.pk,
            app.status,
        )
        return False
    return True

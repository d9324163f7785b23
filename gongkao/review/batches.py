"""A unit's batch (notice 3.5.3): once every application of the unit has passed
the office's online review, the unit prints two rosters, signs and stamps them,
the department stamps them, and the office checks originals and fees on site.

The batch's states form one table like the application's; `move_batch` is the
only code that changes a batch's state. Offices whose procedure does not ask
for signed rosters skip the paper steps.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.applications.models import Application, ApplicationCount
from gongkao.applications.states import Status
from gongkao.campaigns.models import Campaign
from gongkao.campaigns.queries import fee_rates
from gongkao.core.exports import Column, workbook_bytes
from gongkao.core.models import AuditEvent
from gongkao.core.queries import work_calendar
from gongkao.core.services import record_audit
from gongkao.core.uploads import check_upload
from gongkao.core.workdays import add_working_days
from gongkao.organizations.models import Jurisdiction, Unit
from gongkao.organizations.queries import NoJurisdiction, jurisdiction_for_unit
from gongkao.review.chain import ONLINE_DONE
from gongkao.review.models import (
    Batch,
    BatchChange,
    BatchScan,
    FeePayment,
    OriginalCustody,
)
from gongkao.review.permissions import (
    can_complete,
    can_mark_printed,
    can_stamp,
    can_upload_scans,
    ready_for_onsite,
)
from gongkao.review.queries import first_keys

B = Batch.State
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    B.OPEN: frozenset({B.ONLINE_REVIEW_COMPLETE}),
    # An application returned after online review reopens the batch.
    B.ONLINE_REVIEW_COMPLETE: frozenset({B.OPEN, B.ROSTERS_PRINTED, B.ONSITE_CHECKED}),
    B.ROSTERS_PRINTED: frozenset({B.OPEN, B.ROSTERS_PRINTED, B.SCANS_UPLOADED}),
    B.SCANS_UPLOADED: frozenset({B.OPEN, B.DEPARTMENT_STAMPED, B.ONSITE_CHECKED}),
    B.DEPARTMENT_STAMPED: frozenset({B.OPEN, B.ONSITE_CHECKED}),
    B.ONSITE_CHECKED: frozenset({B.CLOSED}),
    B.CLOSED: frozenset(),
}
NOT_IN_BATCH = frozenset({Status.DRAFT, Status.WITHDRAWN})


class BatchError(Exception):
    """The message is Chinese and says what to do first."""


def _lock(batch: Batch) -> Batch:
    """Lock the batch row, then re-read it into the caller's instance (Zulip's
    idiom): every check reads what it locked."""
    Batch.objects.select_for_update().only("pk").get(pk=batch.pk)
    batch.refresh_from_db()
    return batch


def batch_reference(unit: Unit, campaign: Campaign) -> str:
    """JZ2025-00012: the place from the campaign's division (its letters, else
    its GB/T 2260 code), the year, the unit."""
    place = campaign.division.letters or campaign.division.code
    return f"{place}{campaign.year}-{unit.pk:05d}"


def batch_for(unit: Unit, campaign: Campaign) -> Batch:
    batch, _ = Batch.objects.get_or_create(
        unit=unit,
        campaign=campaign,
        defaults={"reference": batch_reference(unit, campaign)},
    )
    return batch


def _in_batch(batch: Batch) -> QuerySet[Application]:
    return (
        Application.objects.filter(unit=batch.unit, campaign=batch.campaign)
        .exclude(status__in=NOT_IN_BATCH)
        .select_related("applicant", "job_type")
        .order_by("id")
    )


def batch_applications(batch: Batch) -> list[Application]:
    return list(_in_batch(batch))


BATCH_PAGE_SIZE = 100


def batch_page(
    batch: Batch, after: int | None = None
) -> tuple[list[Application], int, int | None]:
    """One page of the batch's applications for its page, by id keyset: the
    rows, the batch's total, and the id the next page starts after (None on
    the last). A unit of thousands is never rendered at once: the total is
    added up from ApplicationCount, the page's ids read from the covering
    index, and only the columns the page shows read for those ids."""
    total = (
        ApplicationCount.objects.filter(
            campaign_id=batch.campaign_id, unit_id=batch.unit_id
        )
        .exclude(status__in=NOT_IN_BATCH)
        .aggregate(n=Sum("n"))["n"]
        or 0
    )
    apps = _in_batch(batch)
    if after:
        apps = apps.filter(pk__gt=after)
    rows = list(
        Application.objects.filter(pk__in=first_keys(apps, ["id"], BATCH_PAGE_SIZE + 1))
        .select_related("applicant", "job_type")
        .only(*BATCH_PAGE_COLUMNS)
        .order_by("id")
    )
    more = len(rows) > BATCH_PAGE_SIZE
    rows = rows[:BATCH_PAGE_SIZE]
    return rows, total, rows[-1].pk if more else None


# What a row of the batch's page shows (review/batch_detail.html).
BATCH_PAGE_COLUMNS = (
    "level",
    "status",
    "onsite_required",
    "applicant__name",
    "job_type__name",
)


def batch_application(batch: Batch, pk: int) -> Application | None:
    """One application of the batch, or None."""
    return _in_batch(batch).filter(pk=pk).first()


@transaction.atomic
def move_batch(
    batch: Batch, to: Batch.State, *, by: User | None, note: str = ""
) -> Batch:
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if to not in BATCH_TRANSITIONS[locked.state]:
        raise BatchError(
            f"批次当前为“{locked.get_state_display()}”，不能变为“{Batch.State(to).label}”。"
        )
    before = locked.state
    BatchChange.objects.create(
        batch=locked, from_state=before, to_state=to, by=by, note=note
    )
    locked.state = to
    locked.save(update_fields=["state", "updated_at"])
    record_audit(
        AuditEvent.Action.BATCH_CHANGED,
        by=by,
        target=locked,
        before={"state": before},
        after={"state": to, "note": note},
    )
    batch.state = to
    return batch


# Between the online review's end and the on-site conclusions: a file back
# in review reopens the batch.
PAPER_STATES = (
    B.ONLINE_REVIEW_COMPLETE,
    B.ROSTERS_PRINTED,
    B.SCANS_UPLOADED,
    B.DEPARTMENT_STAMPED,
)


def _locked_batch(unit: Unit, campaign: Campaign) -> Batch:
    # One locked read when the batch exists, as it does after the unit's
    # first file (a deadline-day submission). The batch's row alone: the
    # model's ordering would join (and so lock) the campaign and the unit,
    # and every submission of the campaign would wait for the one before.
    batch = (
        Batch.objects.select_for_update(of=("self",))
        .filter(unit=unit, campaign=campaign)
        .order_by("pk")
        .first()
    ) or _lock(batch_for(unit, campaign))
    batch.unit, batch.campaign = unit, campaign
    if batch.list_due is None:
        # Stored once the unit's first file is in, so that circulars and
        # batch lists never compute it per batch.
        batch.list_due = list_due_date(batch)
        if batch.list_due is not None:
            batch.save(update_fields=["list_due", "updated_at"])
    return batch


def _reopen(batch: Batch, by: User | None) -> None:
    """A file back in review (returned, resubmitted or new) reopens a batch
    past the online review; before it, or once concluded, nothing moves."""
    if batch.state in PAPER_STATES:
        move_batch(batch, B.OPEN, by=by, note="有申报退回或新提交，重新进行网上审核")


@transaction.atomic
def sync_batch(unit: Unit, campaign: Campaign, *, by: User | None = None) -> Batch:
    """Move the batch along from its applications' statuses.

    Complete when every application has passed the online review (or ended);
    reopened when one comes back into review; on-site checked once the office
    has concluded every application (the fee total then closes it).
    """
    # Two final decisions at once must not both miss the other's change.
    batch = _locked_batch(unit, campaign)
    # One aggregate over the unit's applications, not the rows themselves (a
    # decision at a unit of thousands); submissions never count them
    # (follow_submission).
    counts = (
        Application.objects.filter(unit=batch.unit, campaign=batch.campaign)
        .exclude(status__in=NOT_IN_BATCH)
        .aggregate(
            total=Count("id"),
            done=Count("id", filter=Q(status__in=ONLINE_DONE)),
            passed=Count(
                "id", filter=Q(status__in=(Status.ONSITE_CHECK, Status.QUALIFIED))
            ),
            onsite=Count("id", filter=Q(status=Status.ONSITE_CHECK)),
        )
    )
    complete = (
        counts["total"] > 0
        and counts["done"] == counts["total"]
        and counts["passed"] > 0
    )
    concluded = complete and counts["onsite"] == 0
    if batch.state == B.OPEN and complete:
        move_batch(
            batch, B.ONLINE_REVIEW_COMPLETE, by=by, note="全部申报已通过网上资格审查"
        )
    elif not complete:
        _reopen(batch, by)
    if batch.state in PAPER_STATES and concluded and ready_for_onsite(batch):
        move_batch(
            batch,
            B.ONSITE_CHECKED,
            by=by,
            note="全部申报已作出现场审查结论，待核对收费",
        )
    return batch


def follow_submission(application: Application, by: User) -> None:
    """The submission hook: a new or resubmitted file moves its unit's batch.
    The file has just entered the unit's review, so the batch cannot be
    complete: it is reopened if it had finished the online review, as
    `sync_batch` would, without counting the unit's files (a deadline-day
    submission at a unit of thousands reads one row)."""
    if application.unit is None:
        return
    assert application.status not in ONLINE_DONE
    _reopen(_locked_batch(application.unit, application.campaign), by)


@transaction.atomic
def mark_rosters_printed(batch: Batch, *, by: User) -> Batch:
    batch = _lock(batch)
    if not can_mark_printed(batch):
        raise BatchError("本单位还有申报未通过网上资格审查，不能打印名册表。")
    batch.rosters_printed_at = timezone.now()
    batch.save(update_fields=["rosters_printed_at"])
    return move_batch(batch, B.ROSTERS_PRINTED, by=by, note="打印名册表")


@transaction.atomic
def upload_scan(
    batch: Batch, kind: BatchScan.Kind, data: bytes, filename: str, *, by: User
) -> BatchScan:
    """Store a signed, stamped roster scan; both scans move the batch on."""
    batch = _lock(batch)
    if not can_upload_scans(batch):
        raise BatchError("请先打印名册表，签字盖章后再上传扫描件。")
    checked = check_upload(data, filename)
    version = (
        batch.scans.filter(kind=kind)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    ) + 1
    scan = BatchScan(
        batch=batch,
        kind=kind,
        version=version,
        extension=checked.extension,
        content_type=checked.content_type,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    scan.file.save("scan" + checked.extension, ContentFile(checked.content), save=False)
    scan.save()
    kinds = set(batch.scans.values_list("kind", flat=True))
    if batch.state == B.ROSTERS_PRINTED and kinds >= {
        BatchScan.Kind.PASSED,
        BatchScan.Kind.ONSITE,
    }:
        move_batch(batch, B.SCANS_UPLOADED, by=by, note="上传签字盖章名册表")
    return scan


@transaction.atomic
def stamp_batch(batch: Batch, *, by: User) -> Batch:
    """The supervising department has reviewed and stamped the rosters."""
    batch = _lock(batch)
    if not can_stamp(batch):
        raise BatchError("单位上传签字盖章的名册表后，主管部门才能确认盖章。")
    batch.department_stamped_at = timezone.now()
    batch.department_stamped_by = by
    batch.save(update_fields=["department_stamped_at", "department_stamped_by"])
    return move_batch(batch, B.DEPARTMENT_STAMPED, by=by, note="主管部门审核盖章")


def fee_due(batch: Batch) -> Decimal:
    rates = fee_rates(batch.campaign)
    # One count per level, not the unit's rows.
    levels = (
        Application.objects.filter(
            unit=batch.unit,
            campaign=batch.campaign,
            status__in=(Status.ONSITE_CHECK, Status.QUALIFIED),
        )
        .values("level")
        .annotate(n=Count("id"))
        .order_by()
    )
    return sum(
        (rates.get(row["level"] or 0, Decimal("0")) * row["n"] for row in levels),
        Decimal("0"),
    )


@transaction.atomic
def complete_onsite_check(batch: Batch, *, by: User, fee_total: Decimal) -> Batch:
    """Close the batch once every application is concluded and the fees add up."""
    batch = _lock(batch)
    if not (ready_for_onsite(batch) or can_complete(batch)):
        raise BatchError("名册表尚未签字盖章齐全，不能办理现场审查确认。")
    apps = batch_applications(batch)
    if any(a.status not in ONLINE_DONE for a in apps):
        raise BatchError("本单位还有申报在网上审核中，不能办结。")
    open_apps = [a for a in apps if a.status == Status.ONSITE_CHECK]
    held = (
        OriginalCustody.objects.filter(application__in=apps, returned_at__isnull=True)
        .select_related("application__applicant")
        .order_by("application_id", "id")
    )
    if held:
        by_person: dict[str, list[str]] = {}
        for custody in held:
            by_person.setdefault(str(custody.application.applicant), []).append(
                custody.item
            )
        raise BatchError(
            "还有原件没有退还，请先登记退还后再办结："
            + "；".join(
                f"{name}（{'、'.join(items)}）" for name, items in by_person.items()
            )
            + "。"
        )
    if open_apps:
        raise BatchError(
            f"还有{len(open_apps)}人未作出现场审查结论："
            + "、".join(str(a.applicant) for a in open_apps[:10])
        )
    recorded = FeePayment.objects.filter(application__in=apps).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    if recorded != fee_total:
        raise BatchError(
            f"收费合计{fee_total}元与逐人登记的{recorded}元不一致，请核对。"
        )
    batch.fee_total = fee_total
    batch.checked_in_at = batch.checked_in_at or timezone.now()
    batch.checked_in_by = batch.checked_in_by or by
    batch.closed_at = timezone.now()
    batch.save(
        update_fields=["fee_total", "checked_in_at", "checked_in_by", "closed_at"]
    )
    if batch.state != B.ONSITE_CHECKED:
        move_batch(batch, B.ONSITE_CHECKED, by=by, note="全部申报已作出现场审查结论")
    return move_batch(batch, B.CLOSED, by=by, note=f"收费合计{fee_total}元，办结")


# --- 3.5.1: the applicant list to the office mailbox -------------------------


def list_due_date(batch: Batch) -> date | None:
    """Two working days after the unit's first online registration (submission)."""
    first = (
        Application.objects.filter(
            unit=batch.unit, campaign=batch.campaign, submitted_at__isnull=False
        )
        .order_by("submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    return _due_after(batch.campaign, first)


def _due_after(campaign: Campaign, first: datetime | None) -> date | None:
    if first is None:
        return None
    return add_working_days(
        timezone.localtime(first).date(),
        campaign.list_mail_working_days,
        count_start_day=campaign.count_trigger_day,
        calendar=work_calendar(),
    )


def list_is_late(batch: Batch, today: date | None = None) -> bool:
    """Late only where the office's procedure asks for the list (3.5.1)."""
    try:
        if not jurisdiction_for_unit(batch.unit).requires_list_mail:
            return False
    except NoJurisdiction:
        return False
    return _late(batch, batch.list_due or list_due_date(batch), today)


def _late(batch: Batch, due: date | None, today: date | None) -> bool:
    if due is None:
        return False
    if batch.list_mailed_at is not None:
        return timezone.localtime(batch.list_mailed_at).date() > due
    return (today or timezone.localdate()) > due


def late_list_units(batches: list[Batch], today: date | None = None) -> set[int]:
    """The units among `batches` (one campaign) whose list is late, as
    list_is_late decides for each, in two queries whatever their number: the
    jurisdiction lines, and the first submission of batches without a stored
    due date."""
    lines = list(Jurisdiction.objects.all())

    def asks_for_list(unit: Unit) -> bool:
        mine = [
            line
            for line in lines
            if line.category == unit.category
            and line.division_id in (unit.division_id, None)
        ]
        mine.sort(key=lambda line: line.division_id is None)
        return bool(mine) and mine[0].requires_list_mail

    asked = [b for b in batches if asks_for_list(b.unit)]
    missing = [b for b in asked if b.list_due is None]
    first: dict[int, datetime] = {}
    if missing:
        first = {
            row["unit_id"]: row["first"]
            for row in Application.objects.filter(
                campaign_id=missing[0].campaign_id,
                unit_id__in=[b.unit_id for b in missing],
                submitted_at__isnull=False,
            )
            .values("unit_id")
            .annotate(first=Min("submitted_at"))
        }
    return {
        b.unit_id
        for b in asked
        if _late(b, b.list_due or _due_after(b.campaign, first.get(b.unit_id)), today)
    }


LIST_COLUMNS = [
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("公民身份号码", 20),
    Column("申报等级", 14),
    Column("申报工种", 14),
    Column("手机号", 14),
    Column("提交时间", 16, "datetime"),
]


def applicant_list(batch: Batch) -> bytes:
    """The unit's applicant list (3.5.1) as an Excel workbook."""
    rows = [
        [
            i,
            a.applicant.name,
            a.applicant.id_number_masked,
            a.get_level_display(),
            str(a.job_type or ""),
            a.applicant.phone_masked,
            a.submitted_at,
        ]
        for i, a in enumerate(batch_applications(batch), start=1)
    ]
    return workbook_bytes(
        [("申报人员名单", LIST_COLUMNS, rows)],
        title=f"{batch.unit} {batch.campaign.year}年申报人员名单",
    )


@transaction.atomic
def send_applicant_list(batch: Batch, *, by: User) -> int:
    """Mail the unit's applicant list (Excel) to the office and record when.

    Returns how many applicants the list names.
    """
    batch = _lock(batch)
    try:
        office = jurisdiction_for_unit(batch.unit).office
    except NoJurisdiction:
        raise BatchError("本单位没有配置资格审查机构，请联系工考办。") from None
    to = office.mailbox or batch.campaign.mailbox
    if not to:
        raise BatchError("工考办没有设置工作邮箱，请电话联系工考办。")
    message = EmailMessage(
        subject=f"{batch.unit}{batch.campaign.year}年工勤技能岗位等级考核申报人员名单",
        body=(
            f"{office}：\n\n附件为{batch.unit}{batch.campaign.year}年工勤技能岗位等级考核申报人员名单，"
            f"请查收。\n\n经办人：{by.name}\n"
        ),
        to=[to],
    )
    message.attach(
        f"{batch.reference}-applicants.xlsx",
        applicant_list(batch),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    try:
        message.send()
    except OSError as exc:  # SMTP refused or unreachable
        raise BatchError(
            f"邮件发送失败（{exc.__class__.__name__}），请稍后重试或电话联系工考办。"
        ) from exc
    batch.list_due = batch.list_due or list_due_date(batch)
    batch.list_mailed_at = timezone.now()
    batch.list_mailed_by = by
    batch.save(update_fields=["list_due", "list_mailed_at", "list_mailed_by"])
    record_audit(AuditEvent.Action.LIST_MAILED, by=by, target=batch, after={"to": to})
    return _in_batch(batch).count()

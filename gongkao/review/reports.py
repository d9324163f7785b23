"""What reviewers take away: queue, dashboard and summary exports, the
circular (3.5.2) and the rosters' rows. Each export or issue writes its audit
row here, never in a view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts.models import RoleAssignment, User
from gongkao.applications.models import Application, Education
from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES, Campaign
from gongkao.core.dates import chinese_date
from gongkao.core.exports import Column, workbook_bytes
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.organizations.queries import NoJurisdiction, jurisdiction_for_unit
from gongkao.review import queries
from gongkao.review.batches import batch_applications, late_list_units
from gongkao.review.circular import CircularData, UnitStats
from gongkao.review.models import Batch
from gongkao.review.roster import RosterData, RosterRow

# --- the queue ----------------------------------------------------------------

QUEUE_COLUMNS = [
    Column("申报人", 10),
    Column("公民身份号码", 20),
    Column("单位", 28),
    Column("区划", 10),
    Column("等级", 14),
    Column("工种", 14),
    Column("申报途径", 12),
    Column("状态", 14),
    Column("进入当前状态", 16, "datetime"),
    Column("被退回次数", 8, "int"),
    Column("需现场审查", 8),
    Column("容缺后补", 8),
    Column("首次提交", 16, "datetime"),
]


def export_queue(
    assignment: RoleAssignment,
    applications: QuerySet[Application],
    *,
    filters: dict[str, str],
    by: User,
    request: HttpRequest | None = None,
    ip: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The queue, with the filters applied, as an Excel workbook (audited)."""
    total = applications.count() if progress is not None else 0

    def counted(apps: Any) -> Any:
        for done, a in enumerate(apps, start=1):
            if progress is not None:
                progress(done, total)
            yield a

    rows = (
        [
            a.applicant.name,
            a.applicant.id_number_masked,
            str(a.unit),
            str(a.unit.division) if a.unit else "",
            a.get_level_display(),
            str(a.job_type or ""),
            a.route_label,
            a.get_status_display(),
            a.status_since,
            a.returns_count,
            "是" if a.onsite_required else "",
            "是" if a.deferred_committed_at else "",
            a.submitted_at,
        ]
        # Never the submission snapshot: the largest column, and unused here.
        for a in counted(applications.defer("snapshot").iterator(chunk_size=500))
    )
    scope = assignment.unit or assignment.office
    data = workbook_bytes(
        [("申报列表", QUEUE_COLUMNS, rows)],
        title=f"{scope} 申报列表（{chinese_date(timezone.localdate())}）",
        subtitle=queries.describe_filters(filters),
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        request=request,
        ip=ip,
        after={"what": "queue", "filters": filters},
    )
    return data


# --- the office's summary and dashboard ----------------------------------------

SUMMARY_COLUMNS = [
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("性别", 6),
    Column("公民身份号码", 20),
    Column("手机号", 13),
    Column("单位", 28),
    Column("区划", 10),
    Column("申报等级", 14),
    Column("申报工种", 14),
    Column("申报途径", 12),
    Column("免理论考试", 8),
    Column("缴费（元）", 10, "money"),
]


def export_summary(
    assignment: RoleAssignment,
    applications: QuerySet[Application],
    *,
    by: User,
    request: HttpRequest | None = None,
    ip: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """报名信息材料汇总上报: qualified applicants by level and job type, and the
    list with full ID and mobile numbers (the one export that carries them;
    the audit row says so)."""
    qualified = (
        applications.filter(status=Status.QUALIFIED)
        .select_related("applicant", "unit", "unit__division", "job_type", "fee")
        .defer("snapshot")
        .order_by("level", "job_type__name", "unit__name", "id")
    )
    level_labels = dict(LEVEL_CHOICES)
    counts: dict[tuple[str, str], int] = {}
    qualified_rows = list(qualified)
    for done, a in enumerate(qualified_rows, start=1):
        key = (level_labels.get(a.level or 0, ""), str(a.job_type or ""))
        counts[key] = counts.get(key, 0) + 1
        if progress is not None:
            progress(done, len(qualified_rows))
    count_rows: list[list[Any]] = [[lv, jt, n] for (lv, jt), n in counts.items()]
    count_rows.append(["合计", "", sum(counts.values())])
    people = [
        [
            i,
            a.applicant.name,
            a.applicant.get_sex_display(),
            # Reported upward: the full numbers (audited below); every other
            # export keeps them masked.
            a.applicant.id_number,
            a.applicant.phone,
            str(a.unit),
            str(a.unit.division) if a.unit else "",
            level_labels.get(a.level or 0, ""),
            str(a.job_type or ""),
            a.route_label,
            "是" if (a.eligibility or {}).get("theory_exam_exempt") else "",
            getattr(getattr(a, "fee", None), "amount", None),
        ]
        for i, a in enumerate(qualified_rows, start=1)
    ]
    data = workbook_bytes(
        [
            (
                "按等级工种汇总",
                [Column("等级", 16), Column("工种", 18), Column("人数", 8, "int")],
                count_rows,
            ),
            ("资格审查通过人员名单", SUMMARY_COLUMNS, people),
        ],
        title=f"{assignment.office} 报名信息汇总（{chinese_date(timezone.localdate())}）",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        request=request,
        ip=ip,
        after={
            "what": "summary",
            "rows": len(people),
            "full_numbers": ["id_number", "phone"],
        },
    )
    return data


def export_dashboard(
    assignment: RoleAssignment,
    applications: QuerySet[Application],
    *,
    city_wide: bool,
    by: User,
    request: HttpRequest | None = None,
) -> bytes:
    """The dashboard's tables, with the same scope, as an Excel workbook."""
    submitted = applications.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    level_labels = dict(LEVEL_CHOICES)
    count = [Column("人数", 8, "int")]
    progress = [
        [
            p["unit__division__name"],
            p["total"],
            p["done"],
            p["pending"],
            p["returned"],
            p["percent"],
        ]
        for p in queries.division_progress(applications)
    ]
    data = workbook_bytes(
        [
            (
                "各地进度",
                [
                    Column("地区", 14),
                    Column("已提交", 8, "int"),
                    Column("已完成", 8, "int"),
                    Column("未完成", 8, "int"),
                    Column("其中退回", 8, "int"),
                    Column("完成率%", 8, "int"),
                ],
                progress,
            ),
            (
                "按状态",
                [Column("状态", 16), *count],
                [
                    [Status(s).label, n]
                    for s, n in queries.counts_by(submitted, "status")
                ],
            ),
            (
                "按等级",
                [Column("等级", 16), *count],
                [
                    [level_labels.get(lv, "未选择"), n]
                    for lv, n in queries.counts_by(submitted, "level")
                ],
            ),
            (
                "按工种",
                [Column("工种", 16), *count],
                [
                    [name or "未选择", n]
                    for name, n in queries.counts_by(submitted, "job_type__name")
                ],
            ),
        ],
        title=f"{'全市' if city_wide else assignment.office}审查进度（{chinese_date(timezone.localdate())}）",
        subtitle="范围：全市汇总" if city_wide else "范围：本机构辖区",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        request=request,
        after={"what": "dashboard", "city_wide": city_wide},
    )
    return data


# --- the circular (3.5.2) -------------------------------------------------------


def circular_number(campaign: Campaign, today: date) -> str:
    """焦工考通〔2025〕0320号: the place's short name from the campaign's division."""
    return f"{campaign.division.short_name}工考通〔{campaign.year}〕{today:%m%d}号"


def circular_data(
    assignment: RoleAssignment,
    campaign: Campaign,
    applications: QuerySet[Application],
    *,
    city_wide: bool = False,
) -> tuple[CircularData, list[dict[str, Any]]]:
    """The circular of units over the campaign's thresholds, and every unit's
    row; `applications` is `office_applications` of the same `city_wide`."""
    stats = queries.unit_statistics(
        applications,
        queries.office_count_groups(assignment, campaign, city_wide=city_wide),
    )
    late = late_list_units(
        list(
            Batch.objects.filter(
                campaign=campaign, unit_id__in=[s["unit_id"] for s in stats]
            ).select_related("unit", "campaign")
        )
    )
    for s in stats:
        s["late_list"] = s["unit_id"] in late
        s["flagged"] = (
            s["repeated_returns"] >= campaign.circular_repeated_returns
            or s["overdue"] >= campaign.circular_overdue
            or (campaign.circular_late_list and s["late_list"])
        )
    thresholds = (
        f"多次退回（2次及以上）{campaign.circular_repeated_returns}人以上，"
        f"或逾期未重新提交{campaign.circular_overdue}人以上"
        + ("，或未按时报送申报人员名单" if campaign.circular_late_list else "")
    )
    today = timezone.localdate()
    data = CircularData(
        office_name=str(assignment.office),
        campaign_name=campaign.name,
        issued_on=today,
        number=circular_number(campaign, today),
        thresholds=thresholds,
        units=tuple(
            UnitStats(
                unit_name=s["unit__name"],
                division=s["unit__division__name"],
                applications=s["applications"],
                returns=s["returns"],
                repeated_returns=s["repeated_returns"],
                overdue_resubmissions=s["overdue"],
                late_list=s["late_list"],
            )
            for s in stats
            if s["flagged"]
        ),
    )
    return data, stats


def issue_circular(
    data: CircularData, *, fmt: str, by: User, request: HttpRequest | None = None
) -> None:
    """Record that the circular left the system (as PDF or text)."""
    record_audit(
        AuditEvent.Action.CIRCULAR_ISSUED,
        by=by,
        request=request,
        after={"format": fmt, "units": [u.unit_name for u in data.units]},
    )


# --- rosters -----------------------------------------------------------------


def record_roster_printed(
    batch: Batch,
    data: RosterData,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    """A roster (names, masked ID numbers) leaves the system as a PDF: audited
    like every export of personal data. The page calls it before rendering."""
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        target=batch,
        request=request,
        after={"what": "roster", "kind": data.kind, "rows": len(data.rows)},
    )


def roster_data(batch: Batch, kind: str) -> RosterData:
    """The rows of one of the unit's two rosters: everyone who passed the
    online review (`passed`), or those whose originals are checked (`onsite`)."""
    apps = [
        a
        for a in batch_applications(batch)
        if a.status in (Status.ONSITE_CHECK, Status.QUALIFIED)
        and (kind == "passed" or a.onsite_required)
    ]
    try:
        office_name = str(jurisdiction_for_unit(batch.unit).office)
    except NoJurisdiction:
        office_name = ""
    rows = []
    for a in apps:
        record = (a.snapshot or {}).get("record", {})
        start = record.get("work_start_date") or ""
        rows.append(
            RosterRow(
                name=a.applicant.name,
                sex=a.applicant.get_sex_display(),
                id_number_masked=a.applicant.id_number_masked,
                job_type=str(a.job_type or ""),
                level_label=a.get_level_display(),
                route_label=a.route_label,
                work_start=f"{start[:4]}年{int(start[5:7])}月"
                if len(start) >= 7
                else "",
                education=Education(record["education"]).label
                if record.get("education") in Education.values
                else "",
                note="容缺后补" if a.deferred_committed_at else "",
            )
        )
    department = batch.unit.supervising_department
    return RosterData(
        kind="passed" if kind == "passed" else "onsite",
        campaign_name=batch.campaign.name,
        campaign_year=batch.campaign.year,
        unit_name=batch.unit.name,
        department_name=department.name if department else None,
        office_name=office_name,
        rows=tuple(rows),
        printed_on=timezone.localdate(),
        reference=batch.reference,
    )

"""Office pages beside the review queue: registration extensions, dashboards
and circulars."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts.models import Role
from gongkao.accounts.queries import assignment_for_user, request_user
from gongkao.applications import queries, services
from gongkao.applications.batches import list_is_late
from gongkao.applications.circular import (
    CircularData,
    UnitStats,
    render_circular_pdf,
    render_circular_text,
)
from gongkao.applications.forms import ExtensionForm
from gongkao.applications.models import Application, Batch
from gongkao.applications.states import Status
from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.campaigns.queries import current_campaign
from gongkao.core.exports import Column, workbook_bytes, xlsx_response
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.organizations.models import Division
from gongkao.organizations.queries import units_of_office


@login_required
@require_http_methods(["GET", "POST"])
def office_extensions(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Drafts in the office's jurisdiction, each with a form to extend its window."""
    user = request_user(request)
    assignment = assignment_for_user(
        user, assignment_id, Role.OFFICE_ADMIN, Role.OFFICE_REVIEWER
    )
    assert assignment.office is not None
    drafts = (
        Application.objects.filter(
            status=Status.DRAFT, unit__in=units_of_office(assignment.office)
        )
        .select_related("applicant", "unit")
        .order_by("unit__name", "id")
    )
    name = request.GET.get("q", "").strip()
    if name:
        drafts = drafts.filter(applicant__name__contains=name)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST":
        pk = queries.int_param(request.POST.get("application"))
        target = drafts.filter(pk=pk).first() if pk else None
        if target is None:
            messages.error(request, "没有这份申报，或不在本机构辖区。")
        elif form.is_valid():
            services.extend_registration(
                target,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
            messages.success(
                request,
                f"已允许{target.applicant}在{form.cleaned_data['until']:%m月%d日}前提交。",
            )
            return redirect(request.get_full_path())
    page = Paginator(drafts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/office_extensions.html",
        {"assignment": assignment, "page": page, "form": form, "q": name},
    )


# --- dashboards, circulars, the summary reported upward -------------------------

OFFICE_ROLES = (Role.OFFICE_REVIEWER, Role.OFFICE_ADMIN)


def _office_scope(request: HttpRequest, assignment_id: int) -> tuple[Any, Any, bool]:
    """(assignment, applications, city_wide). The city office may look city-wide."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *OFFICE_ROLES
    )
    assert assignment.office is not None
    city_wide = (
        request.GET.get("scope") == "city"
        and assignment.office.division.kind == Division.Kind.CITY
    )
    campaign = current_campaign()
    apps = (
        Application.objects.filter(campaign=campaign)
        if city_wide
        else queries.scoped_applications(assignment).filter(campaign=campaign)
    )
    return assignment, apps, city_wide


def _chart(
    kind: str, title: str, rows: list[tuple[str, int]], series: str = "人数"
) -> dict[str, Any]:
    return {
        "type": kind,
        "title": title,
        "categories": [str(r[0]) for r in rows],
        "series": [{"name": series, "data": [r[1] for r in rows]}],
    }


@login_required
def dashboard(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, apps, city_wide = _office_scope(request, assignment_id)
    campaign = current_campaign()
    today = timezone.localdate()
    submitted = apps.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    status_rows = [
        (Status(s).label, n) for s, n in queries.counts_by(submitted, "status")
    ]
    level_labels = dict(LEVEL_CHOICES)
    level_rows = [
        (level_labels.get(lv, "未选择"), n)
        for lv, n in queries.counts_by(submitted, "level")
    ]
    job_rows = sorted(
        queries.counts_by(submitted, "job_type__name"), key=lambda r: -r[1]
    )[:20]
    progress = queries.division_progress(apps)
    pending = submitted.filter(status__in=queries.IN_ONLINE_REVIEW)
    overdue = submitted.filter(status=Status.RETURNED, resubmit_by__lt=today)
    context = {
        "assignment": assignment,
        "campaign": campaign,
        "city_wide": city_wide,
        "is_city_office": assignment.office.division.kind == Division.Kind.CITY,
        "today": today,
        "totals": {
            "submitted": submitted.count(),
            "pending": pending.count(),
            "done": submitted.filter(status__in=queries.ONLINE_DONE).count(),
            "qualified": submitted.filter(status=Status.QUALIFIED).count(),
            "not_qualified": submitted.filter(status=Status.NOT_QUALIFIED).count(),
            "returned": submitted.filter(status=Status.RETURNED).count(),
            "overdue": overdue.count(),
        },
        "progress": progress,
        "past_online_deadline": campaign is not None
        and today > campaign.online_review_deadline,
        "window_closed": campaign is not None and today > campaign.review_end,
        "status_chart": _chart("bar", "按状态", status_rows),
        "level_chart": _chart("pie", "按申报等级", level_rows),
        "job_rows": job_rows,
        "overdue_apps": overdue.select_related("applicant", "unit")[:50]
        if not city_wide
        else [],
        "unreviewed": pending.select_related("applicant", "unit").order_by(
            "status_since"
        )[:100]
        if not city_wide
        else [],
    }
    return render(request, "applications/office_dashboard.html", context)


def _circular_data(
    assignment: Any, apps: Any
) -> tuple[CircularData, list[dict[str, Any]]]:
    campaign = current_campaign()
    assert campaign is not None
    stats = queries.unit_statistics(apps)
    late = {
        b.unit_id
        for b in Batch.objects.filter(
            campaign=campaign, unit_id__in=[s["unit_id"] for s in stats]
        ).select_related("unit", "campaign")
        if list_is_late(b)
    }
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


def circular_number(campaign: Any, today: Any) -> str:
    return f"工考通〔{campaign.year}〕{today:%m%d}号"


@login_required
def circular(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Per-unit statistics and the circular of units over the thresholds (3.5.2)."""
    assignment, apps, _ = _office_scope(request, assignment_id)
    if current_campaign() is None:
        raise Http404("当前没有进行中的年度考务。")
    data, stats = _circular_data(assignment, apps)
    fmt = request.GET.get("format")
    if fmt in ("pdf", "txt"):
        record_audit(
            AuditEvent.Action.CIRCULAR_ISSUED,
            by=request_user(request),
            request=request,
            after={"format": fmt, "units": [u.unit_name for u in data.units]},
        )
        if fmt == "pdf":
            response = HttpResponse(
                render_circular_pdf(data), content_type="application/pdf"
            )
            response["Content-Disposition"] = 'inline; filename="circular.pdf"'
            return response
        return HttpResponse(
            render_circular_text(data), content_type="text/plain; charset=utf-8"
        )
    return render(
        request,
        "applications/office_circular.html",
        {
            "assignment": assignment,
            "stats": stats,
            "data": data,
            "text": render_circular_text(data),
        },
    )


SUMMARY_COLUMNS = [
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("性别", 6),
    Column("公民身份号码", 20),
    Column("单位", 28),
    Column("区划", 10),
    Column("申报等级", 14),
    Column("申报工种", 14),
    Column("申报途径", 12),
    Column("免理论考试", 8),
    Column("缴费（元）", 10, "money"),
]


@login_required
def summary_export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """报名信息材料汇总上报: qualified applicants by level and job type, and the list."""
    assignment, apps, _ = _office_scope(request, assignment_id)
    qualified = (
        apps.filter(status=Status.QUALIFIED)
        .select_related("applicant", "unit", "unit__division", "job_type", "fee")
        .order_by("level", "job_type__name", "unit__name", "id")
    )
    level_labels = dict(LEVEL_CHOICES)
    counts: dict[tuple[str, str], int] = {}
    for a in qualified:
        key = (level_labels.get(a.level or 0, ""), str(a.job_type or ""))
        counts[key] = counts.get(key, 0) + 1
    count_rows = [[lv, jt, n] for (lv, jt), n in counts.items()]
    count_rows.append(["合计", "", sum(counts.values())])
    people = [
        [
            i,
            a.applicant.name,
            a.applicant.get_sex_display(),
            a.applicant.id_number_masked,
            str(a.unit),
            str(a.unit.division) if a.unit else "",
            level_labels.get(a.level or 0, ""),
            str(a.job_type or ""),
            a.route_label,
            "是" if (a.eligibility or {}).get("theory_exam_exempt") else "",
            getattr(getattr(a, "fee", None), "amount", None),
        ]
        for i, a in enumerate(qualified, start=1)
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
        title=f"{assignment.office} 报名信息汇总（{timezone.localdate():%Y-%m-%d}）",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=request_user(request),
        request=request,
        after={"what": "summary", "rows": len(people)},
    )
    return xlsx_response(data, f"报名信息汇总-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def dashboard_export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The dashboard's tables, with the same scope, as an Excel file."""
    assignment, apps, city_wide = _office_scope(request, assignment_id)
    submitted = apps.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
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
        for p in queries.division_progress(apps)
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
        title=f"{'全市' if city_wide else assignment.office}审查进度（{timezone.localdate():%Y-%m-%d}）",
        subtitle="范围：全市汇总" if city_wide else "范围：本机构辖区",
    )
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=request_user(request),
        request=request,
        after={"what": "dashboard", "city_wide": city_wide},
    )
    return xlsx_response(data, f"审查进度-{timezone.localdate():%Y%m%d}.xlsx")

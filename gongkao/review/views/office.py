"""Office pages beside the review queue: registration extensions, dashboards
and circulars."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import OFFICE_ROLES, RoleAssignment
from gongkao.applications import services
from gongkao.applications.forms import ExtensionForm
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.core.dates import chinese_month_day
from gongkao.core.exports import xlsx_response
from gongkao.core.forms import int_param
from gongkao.core.pdf import pdf_response
from gongkao.review import queries, reports
from gongkao.review import services as review
from gongkao.review.circular import render_circular_pdf, render_circular_text


@login_required
@require_http_methods(["GET", "POST"])
def office_extensions(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Drafts in the office's jurisdiction, each with a form to extend its window."""
    user = request_user(request)
    assignment = assignment_for_user(user, assignment_id, *OFFICE_ROLES)
    assert assignment.office is not None
    # A NUL byte would make PostgreSQL refuse the query: never a 500.
    name = request.GET.get("q", "").replace("\x00", "").strip()[:50]
    drafts = queries.drafts_of_office(assignment.office, name=name)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST":
        pk = int_param(request.POST.get("application"))
        target = drafts.filter(pk=pk).first() if pk else None
        if target is None:
            messages.error(request, "没有这份申报，或不在本机构辖区。")
        elif form.is_valid():
            try:
                services.extend_registration(
                    target,
                    until=form.cleaned_data["until"],
                    reason=form.cleaned_data["reason"],
                    by=user,
                )
            except services.ExtensionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    f"已允许{target.applicant}在{chinese_month_day(form.cleaned_data['until'])}"
                    "前提交，已短信通知本人。",
                )
                return redirect(request.get_full_path())
    page = Paginator(drafts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "review/office_extensions.html",
        {
            "assignment": assignment,
            "page": page,
            "form": form,
            "q": name,
            "tomorrow": timezone.localdate() + timedelta(days=1),
        },
    )


# --- dashboards, circulars, the summary reported upward -------------------------


def _office_scope(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, Chosen, Any, bool]:
    """(assignment, the chosen campaign, its applications, city_wide). The city
    office may look city-wide; a province office sees every city's, read-only."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *OFFICE_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    city_wide = queries.is_province_office(assignment) or (
        request.GET.get("scope") == "city" and queries.may_look_city_wide(assignment)
    )
    apps = queries.office_applications(assignment, chosen.campaign, city_wide=city_wide)
    return assignment, chosen, apps, city_wide


def _chart(
    kind: str, title: str, rows: list[tuple[str, int]], series: str = "人数"
) -> dict[str, Any]:
    return {
        "type": kind,
        "title": title,
        "categories": [str(r[0]) for r in rows],
        "series": [{"name": series, "data": [r[1] for r in rows]}],
    }


def _listed(
    apps: QuerySet[Application], order: str, limit: int, assignment: RoleAssignment
) -> list[dict[str, Any]]:
    """The first rows of a dashboard list as plain values: their ids first
    (`queries.first_keys`), then the columns shown for those alone, with no
    model instances to build; a hundred rows cost the template a lookup a
    cell."""
    keys = queries.first_keys(apps, [order], limit)
    labels = dict(Status.choices)
    return [
        {
            "name": row["applicant__name"],
            "unit": row["unit__name"] or "",
            "status": labels.get(row["status"], row["status"]),
            "since": row["status_since"],
            "resubmit_by": row["resubmit_by"],
            "url": reverse("review:review", args=[assignment.pk, row["pk"]]),
        }
        for row in Application.objects.filter(pk__in=keys)
        .order_by(order)
        .values(
            "pk",
            "status",
            "status_since",
            "resubmit_by",
            "applicant__name",
            "unit__name",
        )
    ]


@login_required
def dashboard(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, chosen, apps, city_wide = _office_scope(request, assignment_id)
    campaign = chosen.campaign
    today = timezone.localdate()
    submitted = apps.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    panels = queries.dashboard_panels(
        apps,
        today,
        queries.office_count_groups(assignment, campaign, city_wide=city_wide),
    )
    status_rows = [(Status(s).label, n) for s, n in panels["by_status"]]
    level_labels = dict(LEVEL_CHOICES)
    level_rows = [(level_labels.get(lv, "未选择"), n) for lv, n in panels["by_level"]]
    job_rows = sorted(panels["by_job_type"], key=lambda r: -r[1])[:20]
    progress = panels["progress"]
    pending = submitted.filter(status__in=queries.IN_ONLINE_REVIEW)
    overdue = submitted.filter(status=Status.RETURNED, resubmit_by__lt=today)
    context = {
        **chosen.context(**({"scope": "city"} if city_wide else {})),
        "assignment": assignment,
        "city_wide": city_wide,
        "is_city_office": queries.may_look_city_wide(assignment),
        "is_province": queries.is_province_office(assignment),
        "today": today,
        "totals": panels["totals"],
        "progress": progress,
        "past_online_deadline": campaign is not None
        and today > campaign.online_review_deadline,
        "window_closed": campaign is not None and today > campaign.review_end,
        "status_chart": _chart("bar", "按状态", status_rows),
        "level_chart": _chart("pie", "按申报等级", level_rows),
        "job_rows": job_rows,
        "overdue_apps": _listed(overdue, "-created_at", 50, assignment)
        if not city_wide
        else [],
        "unreviewed": _listed(pending, "status_since", 100, assignment)
        if not city_wide
        else [],
    }
    return render(request, "review/office_dashboard.html", context)


@login_required
def circular(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Per-unit statistics and the circular of units over the thresholds (3.5.2)."""
    assignment, chosen, apps, city_wide = _office_scope(request, assignment_id)
    campaign = chosen.campaign
    if campaign is None:
        raise Http404("当前没有进行中的年度考务。")
    data, stats = reports.circular_data(assignment, campaign, apps, city_wide=city_wide)
    fmt = request.GET.get("format")
    if fmt in ("pdf", "txt"):
        reports.issue_circular(data, fmt=fmt, by=request_user(request), request=request)
        if fmt == "pdf":
            return pdf_response(render_circular_pdf(data), "通报")
        return HttpResponse(
            render_circular_text(data), content_type="text/plain; charset=utf-8"
        )
    return render(
        request,
        "review/office_circular.html",
        {
            **chosen.context(),
            "assignment": assignment,
            "stats": stats,
            "data": data,
            "text": render_circular_text(data),
        },
    )


@login_required
def summary_export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """报名信息材料汇总上报: qualified applicants by level and job type, and the list."""
    assignment, chosen, apps, city_wide = _office_scope(request, assignment_id)
    campaign = chosen.campaign
    if (
        campaign is not None
        and apps.filter(status=Status.QUALIFIED).count() > settings.EXPORT_INLINE_ROWS
    ):
        # Thousands of rows: a background job, its page shows the progress
        # and then the download (never a request held for seconds).
        job = review.start_summary_export(
            assignment,
            campaign,
            city_wide=city_wide,
            by=request_user(request),
            request=request,
        )
        return redirect("core:job", job.pk)
    data = reports.export_summary(
        assignment, apps, by=request_user(request), request=request
    )
    return xlsx_response(data, f"报名信息汇总-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def dashboard_export(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The dashboard's tables, with the same scope, as an Excel file."""
    assignment, _, apps, city_wide = _office_scope(request, assignment_id)
    data = reports.export_dashboard(
        assignment,
        apps,
        city_wide=city_wide,
        by=request_user(request),
        request=request,
    )
    return xlsx_response(data, f"审查进度-{timezone.localdate():%Y%m%d}.xlsx")

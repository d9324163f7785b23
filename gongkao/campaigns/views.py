from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts.models import User
from gongkao.accounts.permissions import can_manage_catalogue
from gongkao.campaigns import catalogue
from gongkao.campaigns.forms import CatalogueImportForm
from gongkao.campaigns.queries import job_type_categories, search_job_types
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit


@login_required
def job_type_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    text = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    page = Paginator(search_job_types(text, category), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "q": text,
        "category": category,
        "categories": job_type_categories(),
        "can_manage": can_manage_catalogue(request.user),
        "has_starter": search_job_types().filter(is_starter=True).exists(),
    }
    template = "campaigns/jobtype_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


@login_required
def job_type_export(request: HttpRequest, fmt: str) -> HttpResponse:
    assert isinstance(request.user, User)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    data = catalogue.export_job_types(fmt)
    record_audit(
        AuditEvent.Action.CATALOGUE_EXPORTED,
        by=request.user,
        after={"format": fmt},
        request=request,
    )
    content_type = {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "csv": "text/csv; charset=utf-8",
    }[fmt]
    response = HttpResponse(data, content_type=content_type)
    filename = f"jobtypes-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def job_type_import(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    if not can_manage_catalogue(request.user):
        raise PermissionDenied("只有工考办管理员和系统管理员可以导入工种目录。")
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = catalogue.import_job_types(
            upload.read(),
            upload.name,
            retire_starter=form.cleaned_data["retire_starter"],
        )
        if report.ok:
            record_audit(
                AuditEvent.Action.CATALOGUE_IMPORTED,
                by=request.user,
                request=request,
                after={
                    "file": upload.name,
                    "created": report.created,
                    "updated": report.updated,
                    "retired": report.retired,
                },
            )
            messages.success(
                request,
                f"导入成功：新增{report.created}个，更新{report.updated}个，停用入门目录{report.retired}个。",
            )
            return redirect("campaigns:job_types")
    return render(
        request, "campaigns/jobtype_import.html", {"form": form, "report": report}
    )

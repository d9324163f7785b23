from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import push_url

from gongkao.accounts.models import User
from gongkao.accounts.permissions import can_manage_catalogue
from gongkao.campaigns import services
from gongkao.campaigns.catalogue import EXPORT_CONTENT_TYPES
from gongkao.campaigns.forms import CatalogueImportForm
from gongkao.campaigns.queries import job_type_categories, search_job_types
from gongkao.core.forms import SearchForm
from gongkao.core.queries import jobs_for_user


@login_required
def job_type_list(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    text, category, filter_error = SearchForm(request.GET).cleaned()
    page = Paginator(search_job_types(text, category), 50).get_page(
        request.GET.get("page")
    )
    job = None
    job_id = request.GET.get("job", "")
    if job_id:
        # The export the user started (?job=): another user's job is a 404.
        if not (job_id.isascii() and job_id.isdigit()):
            raise Http404
        job = get_object_or_404(
            jobs_for_user(request.user).filter(kind=services.CATALOGUE_EXPORT),
            pk=int(job_id),
        )
    context = {
        "job": job,
        "export_formats": [("xlsx", "导出 Excel"), ("csv", "导出 CSV")],
        "page": page,
        "q": text,
        "category": category,
        "filter_error": filter_error,
        "categories": job_type_categories(),
        "can_manage": can_manage_catalogue(request.user),
        "has_starter": search_job_types().filter(is_starter=True).exists(),
    }
    template = "campaigns/jobtype_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def job_type_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Start the export as a background job; the list page shows its progress."""
    assert isinstance(request.user, User)
    if fmt not in EXPORT_CONTENT_TYPES:
        raise Http404
    if request.method == "GET":
        return redirect("campaigns:job_types")
    job = services.start_catalogue_export(fmt, by=request.user, request=request)
    list_url = f"{reverse('campaigns:job_types')}?job={job.pk}"
    if getattr(request, "htmx", False):
        response = render(request, "core/_job_progress.html", {"job": job})
        return push_url(response, list_url)
    return redirect(list_url)


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
        report = services.import_catalogue(
            upload.read(),
            upload.name,
            retire_starter=form.cleaned_data["retire_starter"],
            by=request.user,
            request=request,
        )
        if report.ok:
            messages.success(
                request,
                f"导入成功：新增{report.created}个，更新{report.updated}个，停用入门目录{report.retired}个。",
            )
            return redirect("campaigns:job_types")
    return render(
        request, "campaigns/jobtype_import.html", {"form": form, "report": report}
    )

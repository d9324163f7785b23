from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_htmx.http import push_url

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.permissions import can_manage_catalogue
from gongkao.campaigns import services
from gongkao.campaigns.access import campaign_for_request
from gongkao.campaigns.catalogue import EXPORT_CONTENT_TYPES
from gongkao.campaigns.forms import (
    CONTACT_FIELDS,
    SETTINGS_FIELDS,
    CampaignSettingsForm,
    CatalogueImportForm,
    FaqForm,
    NoticeForm,
    OfficeContactForm,
    UnitForm,
    UnitRenameForm,
)
from gongkao.campaigns.models import Campaign, FaqEntry, PortalNotice
from gongkao.campaigns.permissions import owns_campaign, units_frozen
from gongkao.campaigns.queries import job_type_categories, search_job_types
from gongkao.core.forms import SearchForm
from gongkao.core.queries import jobs_for_user
from gongkao.organizations.models import ExamOffice
from gongkao.organizations.queries import divisions_of_office, units_of_office


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


# --- campaign settings and units (office administrators) ----------------------


def _office_admin(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    return assignment_for_user(request_user(request), assignment_id, Role.OFFICE_ADMIN)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_settings(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """年度考务设置: the owner office edits; the other offices of the city read."""
    assignment = _office_admin(request, assignment_id)
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None:
        raise Http404("当前没有年度考务。")
    editable = owns_campaign(assignment, campaign)
    form = CampaignSettingsForm(
        request.POST if request.method == "POST" and editable else None,
        instance=Campaign.objects.get(pk=campaign.pk),
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("只有本年度考务所属工考办的管理员可以修改设置。")
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
            changed = services.update_campaign_settings(
                campaign,
                changes,
                form.fees(),
                by=request_user(request),
                request=request,
            )
            messages.success(
                request, f"已保存{len(changed)}项修改。" if changed else "没有修改。"
            )
            return redirect(
                f"{reverse('campaigns:settings', args=[assignment.pk])}?campaign={campaign.pk}"
            )
        messages.error(request, "有填写错误，请按提示修改。没有保存任何修改。")
    context = {
        **chosen.context(),
        "assignment": assignment,
        "form": form,
        "editable": editable,
    }
    return render(request, "campaigns/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def units(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The units of the office's jurisdiction: list, add."""
    assignment = _office_admin(request, assignment_id)
    office = assignment.office
    assert office is not None
    divisions = divisions_of_office(office)
    categories = sorted(set(office.jurisdictions.values_list("category", flat=True)))
    form = UnitForm(
        request.POST if request.method == "POST" else None,
        divisions=divisions,
        categories=categories,
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.add_unit(
                form.save(commit=False),
                office,
                by=request_user(request),
                request=request,
            )
        except services.UnitRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已添加单位：{unit.name}。")
            return redirect("campaigns:units", assignment_id=assignment.pk)
    today = timezone.localdate()
    campaign = campaign_for_request(request, assignment).campaign
    rows = (
        units_of_office(office, include_inactive=True)
        .select_related("division", "supervising_department")
        .order_by("division__code", "name")
    )
    context = {
        "assignment": assignment,
        "form": form,
        "units": rows,
        "frozen": units_frozen(campaign, today),
        "campaign": campaign,
    }
    return render(request, "campaigns/units.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, assignment_id: int, unit_id: int) -> HttpResponse:
    """Rename or deactivate one unit of the jurisdiction, before registration."""
    assignment = _office_admin(request, assignment_id)
    office = assignment.office
    assert office is not None
    unit = get_object_or_404(units_of_office(office, include_inactive=True), pk=unit_id)
    campaign = campaign_for_request(request, assignment).campaign
    frozen = units_frozen(campaign, timezone.localdate())
    form = UnitRenameForm(
        request.POST or None, initial={"name": unit.name, "is_active": unit.is_active}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.change_unit(
                unit,
                office,
                name=form.cleaned_data["name"].strip(),
                is_active=form.cleaned_data["is_active"],
                frozen=frozen,
                by=request_user(request),
                request=request,
            )
        except services.UnitRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已保存。" if changed else "没有修改。")
            return redirect("campaigns:units", assignment_id=assignment.pk)
    context = {"assignment": assignment, "unit": unit, "form": form, "frozen": frozen}
    return render(request, "campaigns/unit_edit.html", context)


# --- the public portal's content (on the settings page) ------------------------

PORTAL_KINDS: dict[str, tuple[Any, Any, str]] = {
    "notice": (PortalNotice, NoticeForm, "公告"),
    "faq": (FaqEntry, FaqForm, "常见问题"),
}


def _owned_campaign(request: HttpRequest, assignment: RoleAssignment) -> Campaign:
    campaign = campaign_for_request(request, assignment).campaign
    if campaign is None or not owns_campaign(assignment, campaign):
        raise Http404("只有本年度考务所属工考办的管理员可以维护门户内容。")
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def portal_item(
    request: HttpRequest, assignment_id: int, kind: str, pk: int | None = None
) -> HttpResponse:
    """Add, change or delete a notice or a FAQ entry of the chosen campaign."""
    if kind not in PORTAL_KINDS:
        raise Http404
    model, form_class, label = PORTAL_KINDS[kind]
    assignment = _office_admin(request, assignment_id)
    campaign = _owned_campaign(request, assignment)
    item = (
        get_object_or_404(model.objects.filter(campaign=campaign), pk=pk)
        if pk is not None
        else model(campaign=campaign)
    )
    back = f"{reverse('campaigns:settings', args=[assignment.pk])}?campaign={campaign.pk}#portal"
    fields = list(form_class.Meta.fields)
    if request.method == "POST" and "delete" in request.POST and pk is not None:
        services.delete_portal_item(
            item, fields, by=request_user(request), request=request
        )
        messages.success(request, f"已删除{label}。")
        return redirect(back)
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.save_portal_item(
            form.save(commit=False), fields, by=request_user(request), request=request
        )
        messages.success(request, f"{label}已保存。")
        return redirect(back)
    context = {
        "assignment": assignment,
        "campaign": campaign,
        "form": form,
        "label": label,
        "item": item,
        "back": back,
    }
    return render(request, "campaigns/portal_item.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def office_contacts(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The office's own contacts, shown on the public portal."""
    assignment = _office_admin(request, assignment_id)
    office = assignment.office
    assert office is not None
    form = OfficeContactForm(
        request.POST or None, instance=ExamOffice.objects.get(pk=office.pk)
    )
    if request.method == "POST" and form.is_valid():
        services.save_portal_item(
            form.save(commit=False),
            CONTACT_FIELDS,
            by=request_user(request),
            request=request,
        )
        messages.success(request, "联系方式已保存。")
        return redirect("campaigns:settings", assignment_id=assignment.pk)
    context = {"assignment": assignment, "form": form, "office": office}
    return render(request, "campaigns/office_contacts.html", context)

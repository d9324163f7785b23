"""The unit clerk's minimal review (queue, return with reasons, approve) and the
office's registration extensions. The full review chain comes with issue 5."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.models import Role, User
from gongkao.accounts.queries import assignment_for_user
from gongkao.applications import queries, services
from gongkao.applications.checklist import SECTIONS
from gongkao.applications.forms import ExtensionForm, ReturnForm
from gongkao.applications.models import Application, Material
from gongkao.applications.states import Status
from gongkao.organizations.queries import units_of_office


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def unit_queue(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = assignment_for_user(_user(request), assignment_id, Role.UNIT_CLERK)
    assert assignment.unit_id is not None
    status = request.GET.get("status", "")
    qs = queries.applications_for_unit(assignment.unit_id)
    if status in Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "applications/unit_queue.html",
        {
            "assignment": assignment,
            "page": page,
            "status": status,
            "statuses": Status.choices,
        },
    )


def _return_items(application: Application) -> list[tuple[str, str]]:
    items = [(key, label) for key, label in SECTIONS.items()]
    items += [
        (f"material:{slot.key}", f"材料：{slot.label}")
        for slot in services.slots_for(application)
    ]
    return items


@login_required
@require_http_methods(["GET", "POST"])
def unit_review(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    user = _user(request)
    assignment = assignment_for_user(user, assignment_id, Role.UNIT_CLERK)
    application = queries.application_for_reviewer(user, pk)
    if application.unit_id != assignment.unit_id:
        raise Http404
    form = ReturnForm(request.POST or None, items=_return_items(application))
    if request.method == "POST" and form.is_valid():
        if application.status != Status.UNIT_REVIEW:
            messages.error(
                request,
                f"这份申报已经是“{application.get_status_display()}”，不能再退回。",
            )
        else:
            data = form.cleaned_data
            reasons = [
                {"item": item, "code": data["code"].code, "text": data["text"]}
                for item in data["items"]
            ]
            services.return_application(application, by=user, reasons=reasons)
            messages.success(
                request,
                f"已退回{application.applicant}，须在"
                f"{application.resubmit_by:%m月%d日}前重新提交。",
            )
            return redirect("applications:unit_queue", assignment_id=assignment.pk)
    materials = Material.objects.filter(
        application=application, current__isnull=False
    ).select_related("current")
    return render(
        request,
        "applications/unit_review.html",
        {
            "assignment": assignment,
            "application": application,
            "form": form,
            "materials": {m.slot: m for m in materials},
            "slots": services.slots_for(application),
            "history": queries.history(application),
            "result": application.eligibility or {},
        },
    )


@login_required
@require_POST
def unit_approve(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    user = _user(request)
    assignment = assignment_for_user(user, assignment_id, Role.UNIT_CLERK)
    application = queries.application_for_reviewer(user, pk)
    if application.unit_id != assignment.unit_id:
        raise Http404
    try:
        if request.POST.get("allow_deferred") and application.deferred_committed_at:
            services.allow_deferred(application, by=user)
        services.approve_unit_review(application, by=user)
    except (services.InvalidTransition, services.NotEditable) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"{application.applicant}的申报已审核通过，报送下一环节。"
        )
    return redirect("applications:unit_queue", assignment_id=assignment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def office_extensions(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Drafts in the office's jurisdiction, each with a form to extend its window."""
    user = _user(request)
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
        target = drafts.filter(pk=request.POST.get("application", "0")).first()
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

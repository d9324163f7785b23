"""Office pages beside the review queue: registration extensions, dashboards
and circulars."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkao.accounts.models import Role, User
from gongkao.accounts.queries import assignment_for_user
from gongkao.applications import services
from gongkao.applications.forms import ExtensionForm
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.organizations.queries import units_of_office


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


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

"""Appeals (复核): the applicant's request and the office's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import OFFICE_ROLES, Role, RoleAssignment
from gongkao.accounts.permissions import has_role
from gongkao.applications.models import Application
from gongkao.applications.services import campaign_for_applicant
from gongkao.core.forms import form_errors
from gongkao.core.uploads import UploadRejected
from gongkao.review import appeals
from gongkao.review.forms import AppealAnswerForm, AppealForm
from gongkao.review.models import Appeal


def _own_application(request: HttpRequest) -> Application:
    user = request_user(request)
    if not has_role(user, Role.APPLICANT):
        raise Http404
    campaign = campaign_for_applicant(user)
    if campaign is None:
        raise Http404
    application = Application.objects.filter(applicant=user, campaign=campaign).first()
    if application is None:
        raise Http404
    return application


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest) -> HttpResponse:
    """The applicant's appeal page: the form while the period is open, then
    the appeal and, once given, the office's answer."""
    application = _own_application(request)
    today = timezone.localdate()
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            appeals.file_appeal(
                application,
                reason=form.cleaned_data["reason"],
                data=upload.read() if upload else None,
                filename=upload.name if upload else "",
                by=request_user(request),
            )
        except (appeals.AppealRefused, UploadRejected) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "复核申请已提交，工考办将按期答复。")
            return redirect("review:appeal")
    return render(
        request,
        "review/appeal.html",
        {
            "application": application,
            "appeal": Appeal.objects.filter(application=application).first(),
            "deadline": appeals.appeal_deadline(application),
            "can_appeal": appeals.can_appeal(application, today),
            "settings": appeals.settings_for(application.campaign),
            "form": form,
        },
    )


def _office(request: HttpRequest, assignment_id: int) -> RoleAssignment:
    return assignment_for_user(request_user(request), assignment_id, *OFFICE_ROLES)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_list(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The office's appeals, unanswered first by due date, each with its answer form."""
    assignment = _office(request, assignment_id)
    scoped = appeals.appeals_for(assignment)
    form = AppealAnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            target = scoped.filter(pk=form.cleaned_data["appeal"]).first()
            if target is None:
                raise Http404
            try:
                appeals.answer_appeal(
                    target,
                    decision=form.cleaned_data["decision"],
                    answer=form.cleaned_data["answer"],
                    by=request_user(request),
                )
            except appeals.AppealRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, f"已答复{target.application.applicant}的复核申请。"
                )
                return redirect("review:appeals", assignment_id=assignment.pk)
        else:
            messages.error(request, form_errors(form))
    page = Paginator(scoped, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "review/appeal_list.html",
        {
            "assignment": assignment,
            "page": page,
            "today": timezone.localdate(),
            "decisions": Appeal.Decision.choices,
        },
    )


@login_required
def appeal_file(request: HttpRequest, pk: int) -> FileResponse:
    """The appeal's document, for its applicant or an office in scope; 404 else."""
    user = request_user(request)
    found = Appeal.objects.select_related("application").filter(pk=pk).first()
    if found is None or not found.file:
        raise Http404
    allowed = found.application.applicant_id == user.pk or any(
        appeals.appeals_for(a).filter(pk=pk).exists()
        for a in RoleAssignment.objects.filter(user=user, role__in=list(OFFICE_ROLES))
    )
    if not allowed:
        raise Http404
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.file_content_type,
        filename=f"appeal-{found.pk}{found.file_extension}",
    )
    response["Cache-Control"] = "private, no-store"
    return response

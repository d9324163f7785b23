"""Training pages: the office's classes, sessions and registers; the unit
clerk's and the candidate's enrolment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role
from gongkao.accounts.permissions import has_role
from gongkao.applications.models import Application
from gongkao.applications.services import campaign_for_applicant
from gongkao.applications.states import Status
from gongkao.campaigns.access import campaign_for_request
from gongkao.core.exports import xlsx_response
from gongkao.core.forms import form_errors, int_param
from gongkao.exams import queries, services, training
from gongkao.exams.forms import EnrolForm, TrainingClassForm, TrainingSessionForm
from gongkao.exams.views import planner, scope_of


def _back(assignment_id: int, campaign_id: int, pk: int | None = None) -> str:
    name, args = (
        ("exams:training_class", [assignment_id, pk])
        if pk
        else ("exams:training", [assignment_id])
    )
    return f"{reverse(name, args=args)}?campaign={campaign_id}"


@login_required
@require_http_methods(["GET", "POST"])
def classes(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """培训班: the list, a new class, whether training is required."""
    assignment, chosen, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    form = TrainingClassForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and "required" in request.POST:
        services.set_training_required(
            campaign,
            request.POST.get("required") == "1",
            office,
            by=request_user(request),
            request=request,
        )
        return redirect(_back(assignment.pk, campaign.pk))
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.campaign = campaign
        assert assignment.office is not None
        item.office = assignment.office
        services.save_training_item(
            item, by=request_user(request), request=request, m2m=form.save_m2m
        )
        messages.success(request, f"已添加培训班：{item}。")
        return redirect(_back(assignment.pk, campaign.pk))
    context = {
        **chosen.context(),
        "assignment": assignment,
        "classes": training.classes_of(campaign, office),
        "form": form,
        "plan": queries.plan(campaign, office),
    }
    return render(request, "exams/training.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def training_class(request: HttpRequest, assignment_id: int, pk: int) -> HttpResponse:
    """One class: its roster, sessions and the register of each session."""
    assignment, _, campaign = planner(request, assignment_id)
    klass = get_object_or_404(
        training.classes_of(campaign, scope_of(assignment, campaign)), pk=pk
    )
    form = TrainingSessionForm(
        request.POST if "date" in request.POST else None, training_class=klass
    )
    if request.method == "POST" and "session" in request.POST:
        session = klass.sessions.filter(
            pk=int_param(request.POST.get("session")) or 0
        ).first()
        if session is None:
            raise Http404
        present = {int_param(v) or 0 for v in request.POST.getlist("present")}
        count = training.save_register(
            session, present, by=request_user(request), request=request
        )
        messages.success(request, f"{session}：到课{count}人。")
        return redirect(_back(assignment.pk, campaign.pk, klass.pk))
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.training_class = klass
        services.save_training_item(item, by=request_user(request), request=request)
        messages.success(request, "已添加课次。")
        return redirect(_back(assignment.pk, campaign.pk, klass.pk))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            training.export_class(klass), f"培训名单及考勤-{klass.name}.xlsx"
        )
    sessions, rows = training.register_rows(klass)
    context = {
        "assignment": assignment,
        "campaign": campaign,
        "klass": klass,
        "sessions": sessions,
        "rows": rows,
        "form": form,
    }
    return render(request, "exams/training_class.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_training(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The unit clerk enrols the unit's qualified candidates."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.UNIT_CLERK
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or assignment.unit_id is None:
        raise Http404
    candidates = Application.objects.filter(
        campaign=campaign, unit_id=assignment.unit_id, status=Status.QUALIFIED
    ).select_related("applicant", "job_type")
    unit = assignment.unit
    classes = training.classes_for(campaign, unit)
    form = EnrolForm(
        request.POST or None,
        applications=candidates.exclude(enrolments__training_class__campaign=campaign),
        classes=classes,
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                training.enrol(
                    form.cleaned_data["training_class"],
                    form.cleaned_data["application"],
                    by=request_user(request),
                    request=request,
                )
            except training.TrainingRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已报名。")
        else:
            messages.error(request, form_errors(form))
        return redirect(f"{request.path}?campaign={campaign.pk}")
    enrolled = {a.pk: training.enrolment_of(a) for a in candidates}
    context = {
        **chosen.context(),
        "assignment": assignment,
        "candidates": candidates,
        "enrolled": enrolled,
        "classes": classes,
        "form": form,
    }
    return render(request, "exams/unit_training.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def my_training(request: HttpRequest) -> HttpResponse:
    """The candidate's own enrolment: the classes that take them, one click."""
    user = request_user(request)
    if not has_role(user, Role.APPLICANT):
        raise Http404
    campaign = campaign_for_applicant(user)
    application = (
        Application.objects.filter(
            applicant=user, campaign=campaign, status=Status.QUALIFIED
        )
        .select_related("job_type")
        .first()
        if campaign is not None
        else None
    )
    if request.method == "POST":
        if application is None:
            raise Http404
        klass = (
            training.classes_for(application.campaign, application.unit)
            .filter(pk=int_param(request.POST.get("class")) or 0)
            .first()
        )
        if klass is None:
            raise Http404
        try:
            training.enrol(klass, application, by=user, request=request)
        except training.TrainingRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已报名“{klass}”。")
        return redirect("exams:my_training")
    enrolment = training.enrolment_of(application) if application else None
    open_classes = (
        [
            k
            for k in training.classes_for(application.campaign, application.unit)
            if training.fits(k, application)
        ]
        if application is not None and enrolment is None
        else []
    )
    context = {
        "application": application,
        "enrolment": enrolment,
        "classes": open_classes,
        "marks": list(enrolment.attendance.select_related("session"))
        if enrolment
        else [],
    }
    return render(request, "exams/my_training.html", context)

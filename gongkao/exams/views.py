"""The exam plan pages of the office that plans a campaign's exams."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import Role, RoleAssignment
from gongkao.accounts.permissions import has_role
from gongkao.accounts.services import AccountExists, issue_staff_account
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import Campaign
from gongkao.core.forms import form_errors, free_text, int_param
from gongkao.core.pdf import pdf_response
from gongkao.core.queries import jobs_for_user
from gongkao.exams import queries, services
from gongkao.exams.allocation import RULES
from gongkao.exams.forms import (
    MoveSeatForm,
    ProctorForm,
    RoomForm,
    SittingForm,
    TestCentreForm,
    TicketWindowForm,
)
from gongkao.exams.models import SeatAssignment
from gongkao.exams.permissions import (
    PLANNER_ROLES,
    can_plan,
    is_locked,
    tickets_printable,
)
from gongkao.exams.room_pdf import KINDS, render_room
from gongkao.exams.seating import PlanLocked
from gongkao.exams.ticket_pdf import render_tickets
from gongkao.organizations.models import ExamOffice


def planner(
    request: HttpRequest, assignment_id: int
) -> tuple[RoleAssignment, Chosen, Campaign]:
    """The planner's role, the year picker and the chosen campaign, which the
    role's office plans (otherwise a 404)."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *PLANNER_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or not can_plan(assignment, campaign):
        raise Http404("考试编排由本年度考务所属的工考办负责。")
    return assignment, chosen, campaign


def scope_of(assignment: RoleAssignment, campaign: Campaign) -> ExamOffice | None:
    """The planner's part of the campaign: None for the whole city, else its
    office's jurisdiction (queries.scope)."""
    return queries.scope(campaign, assignment.office)


def _plan_url(assignment: RoleAssignment, campaign: Campaign, **extra: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"campaign": campaign.pk, **extra}.items())
    return f"{reverse('exams:plan', args=[assignment.pk])}?{query}"


@login_required
def plan(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, chosen, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    job = None
    if "job" in request.GET:
        job = get_object_or_404(
            jobs_for_user(request_user(request)).filter(kind=services.ALLOCATION),
            pk=int_param(request.GET.get("job")) or 0,
        )
    exam_plan = queries.plan(campaign, office)
    context = {
        **chosen.context(),
        "assignment": assignment,
        "scope_office": office,
        "exam_plan": exam_plan,
        "locked": is_locked(exam_plan),
        "subjects": queries.subjects(campaign),
        "centres": queries.centres(campaign, office),
        "sittings": queries.sittings(campaign, office),
        "counts": queries.room_counts(campaign, office),
        "rules": RULES,
        "job": job,
        # Three forms on one page: their own ids, so each label finds its field.
        "centre_form": TestCentreForm(campaign=campaign, auto_id="centre-%s"),
        "room_form": RoomForm(campaign=campaign, office=office, auto_id="room-%s"),
        "sitting_form": SittingForm(
            campaign=campaign, office=office, auto_id="sitting-%s"
        ),
        "window_form": TicketWindowForm(
            initial={
                "opens": exam_plan.tickets_open_at if exam_plan else None,
                "closes": exam_plan.tickets_close_at if exam_plan else None,
            }
        ),
        "tickets_issued": queries.tickets_count(campaign, office),
    }
    return render(request, "exams/plan.html", context)


FORMS = {
    "centre": (TestCentreForm, "考点"),
    "room": (RoomForm, "考场"),
    "sitting": (SittingForm, "场次"),
}


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, assignment_id: int, kind: str) -> HttpResponse:
    """Add a test centre, a room or a sitting to the open plan."""
    if kind not in FORMS:
        raise Http404
    assignment, _, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    form_class, label = FORMS[kind]
    form = form_class(request.POST or None, campaign=campaign, office=office)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        if kind in ("centre", "sitting"):
            item.campaign = campaign
            assert assignment.office is not None
            item.office = assignment.office
        try:
            services.save_plan_item(
                item,
                campaign,
                office,
                by=request_user(request),
                request=request,
                m2m=form.save_m2m if kind == "sitting" else None,
            )
        except PlanLocked as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已添加{label}：{item}。")
        return redirect(_plan_url(assignment, campaign))
    context = {
        "assignment": assignment,
        "campaign": campaign,
        "form": form,
        "label": label,
    }
    return render(request, "exams/add.html", context)


@login_required
@require_POST
def allocate(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, _, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    if is_locked(queries.plan(campaign, office)):
        messages.error(request, "考试编排已锁定，不能重新编排。")
        return redirect(_plan_url(assignment, campaign))
    job = services.start_allocation(
        campaign, office, by=request_user(request), request=request
    )
    return redirect(_plan_url(assignment, campaign, job=job.pk))


@login_required
@require_POST
def lock(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, _, campaign = planner(request, assignment_id)
    try:
        services.lock_plan(
            campaign,
            scope_of(assignment, campaign),
            by=request_user(request),
            request=request,
        )
    except PlanLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "考试编排已锁定，可以发放准考证。")
    return redirect(_plan_url(assignment, campaign))


@login_required
@require_http_methods(["GET", "POST"])
def room(
    request: HttpRequest, assignment_id: int, sitting_id: int, room_id: int
) -> HttpResponse:
    """One room in one sitting: who sits where."""
    assignment, _, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    sitting = get_object_or_404(queries.sittings(campaign, office), pk=sitting_id)
    room_obj = get_object_or_404(sitting.rooms.all(), pk=room_id)
    office = assignment.office
    assert office is not None
    if request.method == "POST" and "seat" in request.POST:
        _move(request, assignment, sitting, room_obj)
        return redirect(request.get_full_path())
    if request.method == "POST":
        proctor = (
            queries.proctors_of(office.pk)
            .filter(pk=int_param(request.POST.get("proctor")) or 0)
            .first()
        )
        if proctor is None:
            messages.error(request, "请选择本机构的监考人员。")
        else:
            services.assign_proctor(
                sitting, room_obj, proctor, by=request_user(request), request=request
            )
            messages.success(request, f"已安排{proctor.name}监考。")
        return redirect(request.get_full_path())
    context = {
        "assignment": assignment,
        "campaign": campaign,
        "sitting": sitting,
        "room": room_obj,
        "seats": queries.room_seats(campaign, sitting_id, room_id),
        "duties": queries.room_duties(sitting_id, room_id),
        "proctors": queries.proctors_of(office.pk),
    }
    return render(request, "exams/room.html", context)


@login_required
@require_POST
def add_proctor(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Open a proctor account of the office (the one-time password goes by SMS)."""
    assignment, _, campaign = planner(request, assignment_id)
    assert assignment.office is not None
    form = ProctorForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_plan_url(assignment, campaign))
    try:
        user, _ = issue_staff_account(
            name=form.cleaned_data["name"],
            phone=form.cleaned_data["phone"],
            role=Role.PROCTOR,
            office=assignment.office,
            by=request_user(request),
            request=request,
        )
    except AccountExists as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已开通监考人员账号：{user.name}，初始密码已短信发送。"
        )
    return redirect(_plan_url(assignment, campaign))


@login_required
@require_POST
def ticket_window(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, _, campaign = planner(request, assignment_id)
    form = TicketWindowForm(request.POST)
    if form.is_valid():
        services.set_ticket_window(
            campaign,
            form.cleaned_data["opens"],
            form.cleaned_data["closes"],
            scope_of(assignment, campaign),
            by=request_user(request),
            request=request,
        )
        messages.success(request, "准考证打印时间已保存。")
    else:
        messages.error(request, form_errors(form))
    return redirect(_plan_url(assignment, campaign))


@login_required
@require_POST
def issue(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment, _, campaign = planner(request, assignment_id)
    try:
        count = services.issue_tickets(
            campaign,
            scope_of(assignment, campaign),
            by=request_user(request),
            request=request,
        )
    except PlanLocked as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已发放{count}张准考证，并短信通知考生。")
    return redirect(_plan_url(assignment, campaign))


# --- the candidate's own tickets --------------------------------------------------


@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not has_role(user, Role.APPLICANT):
        raise Http404
    now = timezone.now()
    rows = []
    for t in queries.tickets_of_applicant(user):
        plan_obj = queries.plan_of_application(t.application)
        deadline = queries.withdraw_deadline(plan_obj) if plan_obj else None
        rows.append(
            {
                "ticket": t,
                "plan": plan_obj,
                "printable": t.withdrawn_at is None
                and tickets_printable(plan_obj, now),
                "withdraw_until": deadline,
                "can_withdraw": t.withdrawn_at is None
                and deadline is not None
                and timezone.localdate() <= deadline,
            }
        )
    return render(request, "exams/my_tickets.html", {"rows": rows})


@login_required
def my_ticket_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = queries.ticket_of_applicant(request_user(request), pk)
    if ticket is None:
        raise Http404
    plan_obj = queries.plan_of_application(ticket.application)
    if ticket.withdrawn_at is not None or not tickets_printable(
        plan_obj, timezone.now()
    ):
        raise Http404("现在不在准考证打印时间内。")
    return pdf_response(render_tickets([ticket]), f"准考证-{ticket.number}")


@login_required
def room_pdf(
    request: HttpRequest, assignment_id: int, sitting_id: int, room_id: int, kind: str
) -> HttpResponse:
    """门贴, 座位表 or 考场签到表 of one room in one sitting."""
    if kind not in KINDS:
        raise Http404
    assignment, _, campaign = planner(request, assignment_id)
    sitting = get_object_or_404(
        queries.sittings(campaign, scope_of(assignment, campaign)), pk=sitting_id
    )
    room_obj = get_object_or_404(sitting.rooms.select_related("centre"), pk=room_id)
    seats = queries.room_seats(campaign, sitting_id, room_id)
    return pdf_response(
        render_room(kind, sitting, room_obj, seats),
        f"{KINDS[kind]}-第{room_obj.number}考场",
    )


def _move(
    request: HttpRequest, assignment: RoleAssignment, sitting: Any, room_obj: Any
) -> None:
    """Move one seat of this room (the row's form: the target room and number)."""
    form = MoveSeatForm(request.POST, sitting=sitting)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return
    seat = SeatAssignment.objects.filter(
        pk=form.cleaned_data["seat"], sitting=sitting, room=room_obj
    ).first()
    if seat is None:
        raise Http404
    try:
        services.move_seat(
            seat,
            form.cleaned_data["room"],
            form.cleaned_data["number"],
            by=request_user(request),
            request=request,
        )
    except (services.SeatRefused, PlanLocked) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, "座位已调整；已发放的准考证已重新生成并短信通知考生。"
        )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """放弃考试, by the candidate, before the deadline."""
    ticket = queries.ticket_of_applicant(request_user(request), pk)
    if ticket is None:
        raise Http404
    try:
        services.withdraw_from_exam(ticket, by=request_user(request), request=request)
    except services.SeatRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已放弃考试，座位已释放，准考证作废。")
    return redirect("exams:my_tickets")


@login_required
@require_http_methods(["GET", "POST"])
def unit_tickets(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The unit clerk's tickets: the list, and all of them in one PDF (a job)."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, Role.UNIT_CLERK
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or assignment.unit_id is None:
        raise Http404
    if request.method == "POST":
        job = services.start_unit_tickets(
            campaign, assignment.unit_id, by=request_user(request), request=request
        )
        return redirect("core:job", job.pk)
    context = {
        **chosen.context(),
        "assignment": assignment,
        "tickets": queries.tickets_of_unit(campaign, assignment.unit_id),
    }
    return render(request, "exams/unit_tickets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exemptions(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """免理论考试 (2.4): the office confirms or refuses each request before
    allocation; only confirmed ones get no theory seat."""
    assignment, chosen, campaign = planner(request, assignment_id)
    office = scope_of(assignment, campaign)
    requests = queries.exemption_requests(campaign, office)
    if request.method == "POST":
        chosen_id = int_param(request.POST.get("application"))
        application = next((a for a in requests if a.pk == chosen_id), None)
        if application is None:
            raise Http404
        try:
            note = free_text(request.POST.get("note", ""), label="说明", max_length=200)
            services.decide_exemption(
                application,
                request.POST.get("confirmed") == "1",
                office,
                note=note,
                by=request_user(request),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except PlanLocked as exc:
            messages.error(request, str(exc))
        else:
            verdict = (
                "免于理论考试" if request.POST.get("confirmed") == "1" else "不予免考"
            )
            messages.success(
                request, f"已记录：{application.applicant.name}{verdict}。"
            )
        return redirect(f"{request.path}?campaign={campaign.pk}")
    context = {**chosen.context(), "assignment": assignment, "requests": requests}
    return render(request, "exams/exemptions.html", context)

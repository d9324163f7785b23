"""The exam office's pages of a sitting's results: scores by room, the item
analysis (Excel too), and voiding a question before the scores are released."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gongkao.accounts.access import assignment_for_user, request_user
from gongkao.accounts.models import RoleAssignment
from gongkao.campaigns.access import Chosen, campaign_for_request
from gongkao.campaigns.models import Campaign
from gongkao.cbt import queries, services
from gongkao.cbt.forms import RoomAccessForm
from gongkao.cbt.models import Attempt, RoomAccess, VoidedQuestion
from gongkao.core.forms import free_text, int_param
from gongkao.exams import queries as exam_queries
from gongkao.exams.models import Sitting
from gongkao.exams.permissions import PLANNER_ROLES, can_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(
    request: HttpRequest, assignment_id: int, sitting_id: int
) -> tuple[RoleAssignment, Chosen, Campaign, Sitting]:
    assignment = assignment_for_user(
        request_user(request), assignment_id, *PLANNER_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or not can_plan(assignment, campaign):
        raise Http404("考试由本年度考务所属的工考办负责。")
    office = exam_queries.scope(campaign, assignment.office)
    sitting = get_object_or_404(exam_queries.sittings(campaign, office), pk=sitting_id)
    return assignment, chosen, campaign, sitting


@login_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, assignment_id: int, sitting_id: int) -> HttpResponse:
    assignment, chosen, campaign, sitting = _office(request, assignment_id, sitting_id)
    here = f"{reverse('cbt:results', args=[assignment.pk, sitting.pk])}?campaign={campaign.pk}"
    if request.method == "POST":
        question_id = int_param(request.POST.get("question"))
        rows = {r["question"].pk: r for r in queries.item_analysis(sitting)}
        try:
            if question_id not in rows:
                raise services.Refused("请选择本场次的试题。")
            reason = free_text(
                request.POST.get("reason"), label="作废原因", max_length=300
            )
            count = services.void_question(
                sitting,
                rows[question_id]["question"],
                request.POST.get("mode", ""),
                reason,
                by=request_user(request),
                request=request,
            )
        except (services.Refused, ValidationError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"试题已作废，{count}名考生的成绩已重新计算。")
        return redirect(here)
    services.close_expired(sitting)
    attempts = (
        Attempt.objects.filter(seat__sitting=sitting)
        .select_related(
            "subject",
            "seat__room__centre",
            "seat__application__applicant",
            "seat__application__job_type",
        )
        .order_by("seat__room_id", "seat__number", "order")
    )
    context = {
        **chosen.context(),
        "assignment": assignment,
        "sitting": sitting,
        "attempts": attempts,
        "rows": queries.item_analysis(sitting),
        "released": services.scores_released(sitting),
        "modes": VoidedQuestion.Mode.choices,
    }
    return render(request, "cbt/results.html", context)


@login_required
def analysis_xlsx(
    request: HttpRequest, assignment_id: int, sitting_id: int
) -> HttpResponse:
    """The item analysis as Excel (a few hundred rows: no background job)."""
    _, _, _, sitting = _office(request, assignment_id, sitting_id)
    data = services.export_item_analysis(
        sitting, by=request_user(request), request=request
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename=item-analysis.xlsx"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def room_access(request: HttpRequest, assignment_id: int, room_id: int) -> HttpResponse:
    """考场机位限制: the room's PC addresses and Safe Exam Browser key."""
    assignment = assignment_for_user(
        request_user(request), assignment_id, *PLANNER_ROLES
    )
    chosen = campaign_for_request(request, assignment)
    campaign = chosen.campaign
    if campaign is None or not can_plan(assignment, campaign):
        raise Http404("考试由本年度考务所属的工考办负责。")
    office = exam_queries.scope(campaign, assignment.office)
    room = get_object_or_404(exam_queries.rooms(campaign, office), pk=room_id)
    found = RoomAccess.objects.filter(room=room).first()
    form = RoomAccessForm(
        request.POST or None,
        initial={
            "networks": found.networks if found else "",
            "seb_config_key": found.seb_config_key if found else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_room_access(
                room,
                form.cleaned_data["networks"],
                form.cleaned_data["seb_config_key"],
                by=request_user(request),
                request=request,
            )
        except ValueError as exc:
            form.add_error("networks", str(exc))
        else:
            messages.success(request, f"{room}的机位限制已保存。")
            return redirect(
                f"{reverse('cbt:room_access', args=[assignment.pk, room.pk])}?campaign={campaign.pk}"
            )
    context = {**chosen.context(), "assignment": assignment, "room": room, "form": form}
    return render(request, "cbt/room_access.html", context)

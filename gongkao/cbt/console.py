"""The proctor's console per room and sitting: every candidate's state and
progress, the start signal, pauses, extra time, a move to a spare seat,
force-submit and irregularities. Only the proctor's own duty; anything else
is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkao.accounts.access import request_user
from gongkao.cbt import queries, services
from gongkao.cbt.report import render_report
from gongkao.core.forms import free_text, int_param
from gongkao.core.pdf import pdf_response
from gongkao.exams import queries as exam_queries
from gongkao.exams.checkin import starts_at
from gongkao.exams.models import ProctorAssignment, SeatAssignment


def _duty(request: HttpRequest, duty_id: int) -> ProctorAssignment:
    duty = exam_queries.duty_of(request_user(request), duty_id)
    if duty is None:
        raise Http404("没有这个监考安排。")
    return duty


def _seat(duty: ProctorAssignment, seat_id: int) -> SeatAssignment:
    return get_object_or_404(
        SeatAssignment.objects.select_related("application__applicant"),
        pk=seat_id,
        sitting=duty.sitting,
        room=duty.room,
    )


@login_required
def console(request: HttpRequest, duty_id: int) -> HttpResponse:
    duty = _duty(request, duty_id)
    services.close_expired(duty.sitting)
    context = {
        "duty": duty,
        "session": queries.room_session(duty),
        "rows": queries.console_rows(duty),
        "categories": queries.categories(),
        "starts_at": starts_at(duty.sitting),
        "now": timezone.now(),
    }
    template = (
        "cbt/_console_rows.html"
        if request.headers.get("HX-Request")
        else "cbt/console.html"
    )
    return render(request, template, context)


ROOM_ACTIONS = {
    "start": (services.start_room, "已发出开考信号，考生开始作答。"),
    "pause": (services.pause_room, "全场已暂停，恢复后补回暂停时间。"),
    "resume": (services.resume_room, "全场已恢复作答，暂停时间已补回。"),
}


@login_required
@require_POST
def room_action(request: HttpRequest, duty_id: int, action: str) -> HttpResponse:
    duty = _duty(request, duty_id)
    if action not in ROOM_ACTIONS:
        raise Http404
    act, done = ROOM_ACTIONS[action]
    try:
        act(duty.sitting, duty.room, by=request_user(request), request=request)
    except (services.Refused, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return redirect("cbt:console", duty_id=duty.pk)


@login_required
@require_POST
def seat_action(
    request: HttpRequest, duty_id: int, seat_id: int, action: str
) -> HttpResponse:
    duty = _duty(request, duty_id)
    seat = _seat(duty, seat_id)
    user = request_user(request)
    name = seat.application.applicant.name
    try:
        if action == "pause":
            services.pause(seat, by=user, request=request)
            done = f"已暂停{name}的作答。"
        elif action == "resume":
            services.resume(seat, by=user, request=request)
            done = f"{name}已恢复作答，暂停时间已补回。"
        elif action == "extra":
            minutes = int_param(request.POST.get("minutes")) or 0
            reason = free_text(request.POST.get("reason"), label="原因", max_length=200)
            services.give_extra_time(seat, minutes, reason, by=user, request=request)
            done = f"已为{name}延长{minutes}分钟。"
        elif action == "move":
            pc = free_text(request.POST.get("pc"), label="备用机位号", max_length=40)
            services.authorise_move(seat, pc, by=user, request=request)
            done = f"已授权{name}在备用机位登录；原机位的登录随即失效。"
        elif action == "force":
            services.force_submit(seat, by=user, request=request)
            done = f"已为{name}强制交卷。"
        elif action == "irregularity":
            category = (
                queries.categories()
                .filter(pk=int_param(request.POST.get("category")) or 0)
                .first()
            )
            if category is None:
                raise services.Refused("请选择违纪违规行为。")
            note = free_text(request.POST.get("note"), label="情况说明", max_length=500)
            services.record_irregularity(seat, category, note, by=user, request=request)
            done = f"已记录{name}的违纪违规：{category.act}（{category.get_voids_display()}）。"
        else:
            raise Http404
    except (services.Refused, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, done)
    return redirect("cbt:console", duty_id=duty.pk)


@login_required
def room_report(request: HttpRequest, duty_id: int) -> HttpResponse:
    duty = _duty(request, duty_id)
    services.close_expired(duty.sitting)
    return pdf_response(render_report(duty), f"考场记录-{duty.room.number}.pdf")

"""The proctor's pages (phone-sized): their rooms, the door of one room in one
sitting, the scan field, check-in and the end of entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gongkao.accounts.access import request_user
from gongkao.applications.models import MaterialFile
from gongkao.core.forms import free_text
from gongkao.core.pdf import pdf_response
from gongkao.exams import checkin, queries
from gongkao.exams.models import ProctorAssignment, SeatAssignment
from gongkao.exams.room_pdf import KINDS, render_room


def _duty(request: HttpRequest, duty_id: int) -> ProctorAssignment:
    duty = queries.duty_of(request_user(request), duty_id)
    if duty is None:
        raise Http404("没有这个监考安排。")
    return duty


def _seat(duty: ProctorAssignment, seat_id: int) -> SeatAssignment:
    seat = (
        SeatAssignment.objects.filter(pk=seat_id, sitting=duty.sitting, room=duty.room)
        .select_related("application__applicant", "sitting", "room__centre")
        .first()
    )
    if seat is None:
        raise Http404
    return seat


@login_required
def duties(request: HttpRequest) -> HttpResponse:
    rows = list(queries.duties_of(request_user(request)))
    if not rows:
        raise Http404("没有监考安排。")
    return render(request, "exams/door_duties.html", {"duties": rows})


@login_required
def door(request: HttpRequest, duty_id: int) -> HttpResponse:
    duty = _duty(request, duty_id)
    now = timezone.now()
    seats = queries.door_list(duty)
    rows = [{"seat": s, "state": checkin.door_state(s, now)} for s in seats]
    context = {
        "duty": duty,
        "rows": rows,
        "present": sum(r["state"] == "present" for r in rows),
        "opens": checkin.doors_open(duty.sitting),
        "starts": checkin.starts_at(duty.sitting),
        "closes": checkin.entry_closes(duty.sitting),
        "late": now > checkin.starts_at(duty.sitting),
        "can_close": now > checkin.entry_closes(duty.sitting)
        and duty.sitting.closed_at is None,
    }
    return render(request, "exams/door.html", context)


@login_required
@require_POST
def scan(request: HttpRequest, duty_id: int) -> HttpResponse:
    """The scanned or typed text → the candidate to compare with the person."""
    duty = _duty(request, duty_id)
    seat = None
    try:
        text = free_text(
            request.POST.get("scanned", ""), label="扫描内容", max_length=400
        )
        seat = checkin.find_seat(duty, text)
    except (checkin.CheckInRefused, ValidationError) as exc:
        error = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
    else:
        error = ""
    now = timezone.now()
    context = {
        "duty": duty,
        "seat": seat,
        "error": error,
        "state": checkin.door_state(seat, now) if seat else "",
        "late": now > checkin.starts_at(duty.sitting),
    }
    return render(request, "exams/_door_candidate.html", context)


@login_required
@require_POST
def admit(request: HttpRequest, duty_id: int, seat_id: int) -> HttpResponse:
    duty = _duty(request, duty_id)
    seat = _seat(duty, seat_id)
    try:
        reason = free_text(
            request.POST.get("late_reason", ""), label="放行理由", max_length=200
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("exams:door", duty_id=duty.pk)
    try:
        checkin.check_in(
            duty, seat, by=request_user(request), late_reason=reason, request=request
        )
    except checkin.CheckInRefused as exc:
        messages.error(request, f"{seat.application.applicant.name}：{exc}")
    else:
        messages.success(
            request,
            f"{seat.application.applicant.name} 已登记到场（{seat.number}号座位）。",
        )
    return redirect("exams:door", duty_id=duty.pk)


@login_required
@require_POST
def close(request: HttpRequest, duty_id: int) -> HttpResponse:
    duty = _duty(request, duty_id)
    try:
        absent = checkin.close_entry(duty.sitting, by=request_user(request))
    except checkin.CheckInRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"入场已结束，{absent}名未到考生记为缺考。")
    return redirect("exams:door", duty_id=duty.pk)


@login_required
def photo(request: HttpRequest, duty_id: int, seat_id: int) -> FileResponse:
    """The candidate's photo from the application, for the proctor to compare."""
    duty = _duty(request, duty_id)
    seat = _seat(duty, seat_id)
    stored = (
        MaterialFile.objects.filter(
            material__application_id=seat.application_id, material__slot="photo"
        )
        .order_by("-version")
        .first()
    )
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def sheet(request: HttpRequest, duty_id: int, kind: str) -> HttpResponse:
    """The proctor prints the room's documents (the sign-in sheet above all)."""
    if kind not in KINDS:
        raise Http404
    duty = _duty(request, duty_id)
    seats = queries.room_seats(duty.sitting.campaign, duty.sitting_id, duty.room_id)
    return pdf_response(
        render_room(kind, duty.sitting, duty.room, seats),
        f"{KINDS[kind]}-第{duty.room.number}考场",
    )

"""Reads of the computer-based test."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Max, QuerySet

from gongkao.cbt.models import (
    Attempt,
    ExamLogin,
    Irregularity,
    IrregularityCategory,
    RoomSession,
)
from gongkao.exams.models import ProctorAssignment, SeatAssignment
from gongkao.questions.models import Question


def login_of(login_id: int, version: int) -> ExamLogin | None:
    return (
        ExamLogin.objects.filter(pk=login_id, version=version)
        .select_related(
            "seat__sitting__campaign",
            "seat__room__centre",
            "seat__application__applicant",
            "seat__application__ticket",
            "seat__application__job_type",
        )
        .first()
    )


def attempts_of(seat: SeatAssignment) -> QuerySet[Attempt]:
    return Attempt.objects.filter(seat=seat).select_related("subject").order_by("order")


def earliest_submit_ms(attempt: Attempt, now: datetime) -> int | None:
    if attempt.started_at is None:
        return None
    earliest = attempt.started_at + timedelta(
        minutes=attempt.seat.sitting.earliest_submit_minutes
    )
    return max(0, int((earliest - now).total_seconds() * 1000))


def paper_content(attempt: Attempt) -> dict[str, Any]:
    """What the screen shows: the questions in the paper's order, options in
    its shuffled order, each with its own letter (answers are saved in those)
    — never the key or the explanation."""
    paper = attempt.paper
    questions = Question.objects.in_bulk([item[0] for item in paper.items])
    items = []
    for n, (qid, order, points) in enumerate(paper.items, start=1):
        q = questions[qid]
        if order:
            options = [[letter, q.options[ord(letter) - ord("A")]] for letter in order]
        else:
            options = [["A", "对"], ["B", "错"]]
        items.append(
            {
                "n": n,
                "kind": q.kind,
                "stem": q.stem,
                "options": options,
                "points": points,
            }
        )
    return {"subject": attempt.subject.name, "questions": items}


def room_session(duty: ProctorAssignment) -> RoomSession | None:
    return RoomSession.objects.filter(
        sitting_id=duty.sitting_id, room_id=duty.room_id
    ).first()


def console_rows(duty: ProctorAssignment) -> list[dict[str, Any]]:
    """Each candidate of the room: door, login, the open subject, progress."""
    seats = list(
        SeatAssignment.objects.filter(sitting_id=duty.sitting_id, room_id=duty.room_id)
        .select_related("application__applicant", "attendance", "exam_login")
        .order_by("number")
    )
    attempts: dict[int, list[Attempt]] = {}
    for attempt in (
        Attempt.objects.filter(seat__in=seats)
        .select_related("subject")
        .annotate(answered=Count("answers"), last_save=Max("answers__saved_at"))
        .order_by("order")
    ):
        attempts.setdefault(attempt.seat_id, []).append(attempt)
    irregular = set(
        Irregularity.objects.filter(seat__in=seats).values_list("seat_id", flat=True)
    )
    rows = []
    for seat in seats:
        mine = attempts.get(seat.pk, [])
        current = next((a for a in mine if a.state != Attempt.State.SUBMITTED), None)
        login = getattr(seat, "exam_login", None)
        attendance = getattr(seat, "attendance", None)
        if current is not None:
            state = current.get_state_display() if current.started_at else "已登录"
        elif mine:
            state = "已交卷"
        elif attendance is not None:
            state = attendance.get_status_display()
        else:
            state = "未入场"
        rows.append(
            {
                "seat": seat,
                "attendance": attendance,
                "login": login,
                "attempts": mine,
                "current": current,
                "state": state,
                "irregular": seat.pk in irregular,
            }
        )
    return rows


def categories() -> QuerySet[IrregularityCategory]:
    return IrregularityCategory.objects.filter(active=True)

"""Reads of the computer-based test."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, QuerySet

from gongkao.cbt import analysis, scoring
from gongkao.cbt.models import (
    Answer,
    Attempt,
    ExamLogin,
    Irregularity,
    IrregularityCategory,
    RoomSession,
    VoidedQuestion,
)
from gongkao.exams.models import ProctorAssignment, SeatAssignment, Sitting
from gongkao.questions.models import Question


def login_of(login_id: int, version: int) -> ExamLogin | None:
    return (
        ExamLogin.objects.filter(pk=login_id, version=version)
        .select_related(
            "seat__sitting__campaign__cbt_settings",
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
        options = q.shown_options(order)
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


# (sitting, room) -> (monotonic time read, start): a start never changes once
# given, and "not yet" is read again after ROOM_TTL seconds.
ROOM_TTL = 1.0
_room_starts: dict[tuple[int, int], tuple[float, datetime | None]] = {}


def room_started(sitting_id: int, room_id: int) -> datetime | None:
    """When the room started (None before), read at most once a second per
    process while it waits."""
    key = (sitting_id, room_id)
    now = time.monotonic()
    cached = _room_starts.get(key)
    if cached is not None and (cached[1] is not None or now - cached[0] < ROOM_TTL):
        return cached[1]
    started = (
        RoomSession.objects.filter(sitting_id=sitting_id, room_id=room_id)
        .values_list("started_at", flat=True)
        .first()
    )
    _room_starts[key] = (now, started)
    return started


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


def scored(
    attempt: Attempt,
    questions: dict[int, Question] | None = None,
    voided: dict[int, str] | None = None,
) -> scoring.Scored:
    """An attempt's score from its saved answers, its paper's points and the
    sitting's voided questions."""
    paper = attempt.paper
    if questions is None:
        questions = Question.objects.in_bulk([item[0] for item in paper.items])
    if voided is None:
        voided = dict(
            VoidedQuestion.objects.filter(
                sitting_id=attempt.seat.sitting_id
            ).values_list("question_id", "mode")
        )
    items = [
        scoring.Item(qid, questions[qid].kind, questions[qid].answer, Decimal(points))
        for qid, _, points in paper.items
    ]
    chosen = dict(attempt.answers.values_list("position", "choice"))
    choices = {
        item.question_id: chosen.get(n, "") for n, item in enumerate(items, start=1)
    }
    return scoring.score(
        items, choices, partial=paper.paper_set.multiple_partial, voided=voided
    )


def item_analysis(sitting: Sitting) -> list[dict[str, Any]]:
    """Per question of the sitting's submitted attempts: facility,
    discrimination, option counts and flags; with the question and whether
    it was voided."""
    attempts = list(
        Attempt.objects.filter(
            seat__sitting=sitting, state=Attempt.State.SUBMITTED
        ).select_related("paper__paper_set", "subject", "seat")
    )
    ids = {item[0] for a in attempts for item in a.paper.items}
    questions = Question.objects.in_bulk(list(ids))
    voided = dict(
        VoidedQuestion.objects.filter(sitting=sitting).values_list(
            "question_id", "mode"
        )
    )
    answers: dict[int, dict[int, str]] = {}
    for attempt_id, position, choice in Answer.objects.filter(
        attempt__in=attempts
    ).values_list("attempt_id", "position", "choice"):
        answers.setdefault(attempt_id, {})[position] = choice
    responses = []
    subject_of: dict[int, str] = {}
    for attempt in attempts:
        result = scored(attempt, questions, voided)
        by_position = answers.get(attempt.pk, {})
        choices = {
            item[0]: by_position.get(n, "")
            for n, item in enumerate(attempt.paper.items, start=1)
        }
        responses.append(
            analysis.Response(
                total=float(
                    attempt.score if attempt.score is not None else result.total
                ),
                credits={qid: float(c) for qid, c in result.credits.items()},
                choices=choices,
            )
        )
        for item in attempt.paper.items:
            subject_of[item[0]] = attempt.subject.name
    letters = {
        qid: ("AB" if q.kind == Question.Kind.JUDGE else "ABCDEFGH"[: len(q.options)])
        for qid, q in questions.items()
    }
    return [
        {
            "stats": stats,
            "question": questions[stats.question_id],
            "subject": subject_of.get(stats.question_id, ""),
            "voided": voided.get(stats.question_id),
        }
        for stats in analysis.analyse(responses, letters)
    ]

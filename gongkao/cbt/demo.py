"""The demo's finished computer-based sitting: 焦作市's 2025 sittings whose
papers were built are sat as they would have been on 2025-06-14 (idempotent).

Everything goes through the services with explicit times: room 01's proctor
checks the candidates in at the door, each candidate logs in at the seat, the
rooms start, answers are saved one by one and each subject is submitted (or
closed at time-up). One candidate never comes; one is recorded for an
irregularity. Candidates differ in strength (a seeded random.Random), and a
few questions are ones most get wrong (or the strong get wrong more often),
so that the item analysis has something to flag."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction

from gongkao.accounts.models import User
from gongkao.campaigns.models import Campaign
from gongkao.cbt import services
from gongkao.cbt.models import Answer, Attempt, ExamLogin, IrregularityCategory
from gongkao.exams import checkin
from gongkao.exams.models import ProctorAssignment, SeatAssignment, Sitting
from gongkao.questions.models import Paper, Question

SEED = 20250614
# Strengths: the chance of knowing an ordinary question.
TIERS = [(0.88, 0.97), (0.65, 0.85), (0.35, 0.6)]
# Candidates of the watched room whose answers go through save_answer one by
# one; the others' are written at once (see _sit).
ONE_BY_ONE = 2


def _hard(question: Question) -> bool:
    """Most candidates get these wrong (过难)."""
    return question.pk % 19 == 0


def _misleading(question: Question) -> bool:
    """The strong get these wrong more often than the weak (区分度为负)."""
    return question.pk % 31 == 0


def _choice(question: Question, strength: float, rng: random.Random) -> str:
    """What a candidate of this strength answers ("" to leave it blank)."""
    if question.kind == Question.Kind.JUDGE:
        letters = "AB"
    else:
        letters = "ABCDEFGH"[: len(question.options)]
    if _hard(question):
        chance = 0.12
    elif _misleading(question):
        chance = 1.1 - strength
    else:
        chance = strength - 0.04 * ((question.difficulty or 3) - 3)
    if rng.random() < (1 - strength) * 0.12:
        return ""
    if rng.random() < chance:
        return question.answer
    wrong = [letter for letter in letters if letter not in question.answer]
    if question.kind == Question.Kind.MULTIPLE:
        # Half the right options (partial credit) or one wrong one too many.
        if rng.random() < 0.5 and len(question.answer) > 1:
            return question.answer[: len(question.answer) // 2]
        return "".join(sorted(question.answer + rng.choice(wrong)))
    return rng.choice(wrong or list(letters))


def _sit(
    login: ExamLogin,
    strength: float,
    questions: dict[int, Question],
    rng: random.Random,
    irregular: tuple[User, IrregularityCategory] | None,
    *,
    one_by_one: bool,
    slow: bool = False,
) -> None:
    """One candidate's subjects, one after another. The answers go through
    `services.save_answer` `one_by_one`, or else are written at once as it
    would have written them: some fifteen thousand saves one by one would
    add half a minute to `make run`."""
    for order in range(1, 4):
        attempt = (
            Attempt.objects.filter(seat_id=login.seat_id, order=order)
            .select_related("paper", "seat__sitting")
            .first()
        )
        if attempt is None:
            break
        assert attempt.state == Attempt.State.ANSWERING and attempt.started_at
        start: datetime = attempt.started_at
        # The strong finish sooner; the weak use the time.
        minutes = rng.uniform(32, 45) if strength > 0.8 else rng.uniform(40, 58)
        step = minutes * 60 / (attempt.n_items + 1)
        answers = []
        for position, (qid, _, _) in enumerate(attempt.paper.items, start=1):
            choice = _choice(questions[qid], strength, rng)
            if choice:
                answers.append(
                    Answer(
                        attempt=attempt,
                        position=position,
                        choice=choice,
                        marked=rng.random() < 0.03,
                        seq=position,
                        saved_at=start + timedelta(seconds=step * position),
                    )
                )
        if one_by_one:
            for answer in answers:
                services.save_answer(
                    login.pk,
                    login.version,
                    attempt.pk,
                    answer.position,
                    answer.choice,
                    marked=answer.marked,
                    seq=answer.seq,
                    now=answer.saved_at,
                )
        else:
            Answer.objects.bulk_create(answers)
        if irregular is not None and order == 2:
            proctor, category = irregular
            services.record_irregularity(
                attempt.seat,
                category,
                "作答中发现其座位抽屉内有与考试内容相关的资料，经提醒仍未交出（演示）。",
                by=proctor,
                now=start + timedelta(minutes=20),
            )
        if (slow or strength < 0.5) and order == 3:
            # The clock closes a slow candidate's last subject (one at least
            # is slow whatever the random draws, so the demo always has one).
            ends = attempt.ends_at()
            assert ends is not None
            services.close_attempt(
                attempt.pk, Attempt.Ending.TIME_UP, now=ends + timedelta(seconds=1)
            )
        else:
            services.submit(attempt, now=start + timedelta(minutes=minutes))


def _finish(sitting: Sitting, admin: User, rng: random.Random) -> int:
    """Sit one sitting; returns how many candidates sat it."""
    begin = checkin.starts_at(sitting)
    seats = list(
        SeatAssignment.objects.filter(sitting=sitting)
        .select_related("application__applicant", "application__ticket", "room")
        .order_by("room__number", "number")
    )
    duties: dict[int, ProctorAssignment] = {}
    for assignment in (
        ProctorAssignment.objects.filter(sitting=sitting)
        .select_related("user", "sitting", "room")
        .order_by("pk")
    ):
        duties.setdefault(assignment.room_id, assignment)
    watched = [seat for seat in seats if seat.room_id in duties] or seats
    absent = watched[-1]
    one_by_one = watched[:ONE_BY_ONE]
    irregular = watched[len(watched) // 2]
    slow = watched[0]
    # The door: room by room, the proctors check the candidates in.
    for n, seat in enumerate(seats):
        duty = duties.get(seat.room_id)
        if duty is not None and seat != absent:
            checkin.check_in(
                duty, seat, by=duty.user, now=begin - timedelta(minutes=25, seconds=-n)
            )
    logins = []
    for n, seat in enumerate(seats):
        ticket = getattr(seat.application, "ticket", None)
        if seat == absent or ticket is None or ticket.withdrawn_at is not None:
            continue
        logins.append(
            services.login(
                ticket.number,
                seat.application.applicant.id_number,
                pc=f"{seat.room.number}-{seat.number:02d}",
                now=begin - timedelta(minutes=12, seconds=-n),
            )
        )
    rooms = {seat.room_id: seat.room for seat in seats}
    for room_id, room in sorted(rooms.items()):
        on_duty = duties.get(room_id)
        services.start_room(
            sitting, room, by=on_duty.user if on_duty else admin, now=begin
        )
    ids = {
        item[0]
        for paper in Paper.objects.filter(seat__sitting=sitting)
        for item in paper.items
    }
    questions = Question.objects.in_bulk(list(ids))
    services.ensure_categories()
    category = (
        IrregularityCategory.objects.filter(active=True).order_by("order", "pk").first()
    )
    for login in logins:
        low, high = rng.choice(TIERS)
        watcher = duties.get(login.seat.room_id)
        _sit(
            login,
            rng.uniform(low, high),
            questions,
            rng,
            (watcher.user if watcher else admin, category)
            if login.seat == irregular and category is not None
            else None,
            one_by_one=login.seat in one_by_one,
            slow=login.seat == slow,
        )
    return len(logins)


@transaction.atomic
def seed_finished_sitting() -> int:
    """Sit 焦作市's 2025 sittings whose papers were built; returns the number
    of candidates who sat (0 when they had sat already)."""
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    if (
        campaign is None
        or Attempt.objects.filter(seat__sitting__campaign=campaign).exists()
    ):
        return 0
    admin = User.objects.get(username="admin")
    rng = random.Random(SEED)
    return sum(
        _finish(sitting, admin, rng)
        for sitting in Sitting.objects.filter(campaign=campaign).order_by(
            "date", "start_time", "pk"
        )
        if Paper.objects.filter(seat__sitting=sitting).exists()
    )

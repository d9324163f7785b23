"""Writes of the computer-based test: login at the seat, the room's start,
answers, submission and time-up, and the proctor's actions. Each locks what
it checks; actions of consequence write their audit row."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import InvalidIdNumber, parse_id_number
from gongkao.accounts.models import User
from gongkao.applications.models import ExamBan
from gongkao.campaigns.models import Campaign
from gongkao.cbt import access, analysis, irregularities, queries
from gongkao.cbt.models import (
    Answer,
    Attempt,
    CbtSettings,
    ExamLogin,
    Irregularity,
    IrregularityCategory,
    RoomAccess,
    RoomSession,
    ScoreRelease,
    VoidedQuestion,
)
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.exams.checkin import entry_closes, starts_at
from gongkao.exams.models import (
    AdmissionTicket,
    Attendance,
    Room,
    SeatAssignment,
    Sitting,
)
from gongkao.questions.models import Paper, Question

LETTERS = frozenset("ABCDEFGH")


class Refused(ValueError):
    """The reason, in Chinese, for the candidate or the proctor."""


class Paused(Refused):
    """The candidate's attempt is paused: the screen keeps the answer and
    sends it again after the resume."""


def settings_of(campaign: Campaign) -> CbtSettings:
    """The campaign's settings (defaults until the office saves some)."""
    if Campaign.cbt_settings.is_cached(campaign):
        # Brought by select_related("…campaign__cbt_settings"): no query.
        found = getattr(campaign, "cbt_settings", None)
    else:
        found = CbtSettings.objects.filter(campaign=campaign).first()
    return found or CbtSettings(campaign=campaign)


# --- the candidate -----------------------------------------------------------


def _seat_for_login(ticket: AdmissionTicket, now: datetime) -> SeatAssignment:
    """The ticket's seat in the sitting now open for login."""
    seats = (
        SeatAssignment.objects.filter(application_id=ticket.application_id)
        .select_related("sitting__campaign", "room__centre", "application__applicant")
        .order_by("sitting__date", "sitting__start_time")
    )
    for seat in seats:
        sitting = seat.sitting
        opens = starts_at(sitting) - timedelta(
            minutes=settings_of(sitting.campaign).login_minutes
        )
        last = starts_at(sitting) + timedelta(minutes=sum_minutes(seat))
        if opens <= now <= last:
            return seat
        if now < opens and timezone.localdate(opens) == timezone.localdate(now):
            raise Refused(
                f"还未到登录时间：{timezone.localtime(opens):%H:%M}起可以登录。"
            )
    raise Refused("现在没有您的考试场次，请核对准考证上的考试时间和考场。")


def sum_minutes(seat: SeatAssignment) -> int:
    """The sitting's subjects of the candidate's level, one after another."""
    return sum(
        s.duration_minutes
        for s in seat.sitting.subjects.all()
        if s.level == seat.application.level
    )


def login(
    ticket_number: str, id_number: str, *, pc: str = "", now: datetime | None = None
) -> ExamLogin:
    """The candidate logs in at the seat with ticket and ID number. A second
    login (another PC) needs the proctor's authorisation of the move."""
    now = now or timezone.now()
    ticket = (
        AdmissionTicket.objects.filter(
            number=ticket_number.strip().upper(), withdrawn_at__isnull=True
        )
        .select_related("application__applicant")
        .first()
    )
    try:
        number = parse_id_number(id_number.strip()).value
    except InvalidIdNumber:
        number = ""
    if (
        ticket is None
        or not number
        or ticket.application.applicant.id_number_index != crypto.blind_index(number)
    ):
        raise Refused("准考证号或身份证号码不正确。")
    seat = _seat_for_login(ticket, now)
    if now > entry_closes(seat.sitting):
        attended = Attendance.objects.filter(
            seat=seat, status=Attendance.Status.PRESENT
        ).exists()
        if not attended:
            raise Refused(
                f"开考已超过{seat.sitting.late_entry_minutes}分钟，未经入场登记不能登录。"
            )
    with transaction.atomic():
        locked = SeatAssignment.objects.select_for_update().get(pk=seat.pk)
        existing = ExamLogin.objects.filter(seat=locked).first()
        if existing is None:
            existing = ExamLogin.objects.create(seat=locked, logged_in_at=now, pc=pc)
        elif existing.move_to:
            existing.version += 1
            existing.pc = existing.move_to
            existing.move_to = ""
            existing.logged_in_at = now
            existing.save()
        else:
            raise Refused(
                "您已在考试机上登录。如需换机或重新登录，请举手示意监考人员授权。"
            )
        _ensure_attempts(locked, now)
    existing.seat = seat
    return existing


def _ensure_attempts(seat: SeatAssignment, now: datetime) -> None:
    """One attempt per paper of the seat, in the subjects' order; the first
    opens at the room's start if the room has started."""
    papers = list(
        Paper.objects.filter(seat=seat)
        .select_related("subject")
        .order_by("subject__order")
    )
    if not papers:
        raise Refused("没有找到您的试卷，请举手示意监考人员。")
    existing = set(Attempt.objects.filter(seat=seat).values_list("paper_id", flat=True))
    for order, paper in enumerate(papers, start=1):
        if paper.pk in existing:
            continue
        Attempt.objects.create(
            paper=paper,
            seat=seat,
            subject=paper.subject,
            order=order,
            duration_seconds=paper.subject.duration_minutes * 60,
            n_items=len(paper.items),
        )
    session = RoomSession.objects.filter(
        sitting_id=seat.sitting_id, room_id=seat.room_id
    ).first()
    if session is not None and session.started_at is not None:
        _open_first(seat, session.started_at)


def _open_first(seat: SeatAssignment, started: datetime) -> None:
    first = (
        Attempt.objects.filter(seat=seat)
        .exclude(state=Attempt.State.SUBMITTED)
        .order_by("order")
        .first()
    )
    if first is not None and first.state == Attempt.State.WAITING and first.order == 1:
        first.state = Attempt.State.ANSWERING
        first.started_at = started
        first.save(update_fields=["state", "started_at"])


@dataclass(frozen=True)
class Saved:
    seq: int
    saved_at: datetime


def save_answer(
    login_id: int,
    version: int,
    attempt_id: int,
    position: int,
    choice: str,
    *,
    marked: bool,
    seq: int,
    now: datetime | None = None,
) -> Saved:
    """Keep the answer if its sequence number is newer than the stored one
    (a stale or repeated save changes nothing), while the attempt is open by
    the server's clock plus the grace."""
    now = now or timezone.now()
    attempt, grace = _open_attempt(attempt_id, login_id, version)
    if attempt.state == Attempt.State.PAUSED:
        raise Paused("您的考试已被监考人员暂停，恢复后答案自动提交。")
    if attempt.state != Attempt.State.ANSWERING:
        raise Refused(
            {
                Attempt.State.WAITING: "考试尚未开始。",
                Attempt.State.PAUSED: "您的考试已被监考人员暂停，答案未保存。",
                Attempt.State.SUBMITTED: "本科目已交卷，答案未保存。",
            }[Attempt.State(attempt.state)]
        )
    if attempt.time_up(now, grace):
        close_attempt(attempt.pk, Attempt.Ending.TIME_UP, now=now)
        raise Refused("考试时间已到，本科目已自动交卷。")
    if not 1 <= position <= attempt.n_items:
        raise Refused("没有这道题。")
    choice = "".join(sorted(set(choice.upper())))
    if not set(choice) <= LETTERS:
        raise Refused("答案无效。")
    _upsert(attempt.pk, position, choice, marked, seq, now)
    return Saved(seq, now)


def _aware(value: datetime | str | None) -> datetime | None:
    """A raw cursor's datetime: aware in UTC (SQLite hands back naive ones)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


# Every answer reads its attempt: one plain statement rather than the ORM's
# compiled joins and orderings, which cost more than the query itself.
_OPEN_ATTEMPT = (
    "SELECT a.id, a.state, a.started_at, a.duration_seconds, a.extra_seconds, "
    "a.paused_seconds, a.paused_at, a.n_items, s.grace_seconds "
    "FROM {attempt} a "
    "JOIN {login} l ON l.seat_id = a.seat_id "
    "JOIN {seat} st ON st.id = a.seat_id "
    "JOIN {sitting} si ON si.id = st.sitting_id "
    "LEFT JOIN {settings} s ON s.campaign_id = si.campaign_id "
    "WHERE a.id = %s AND l.id = %s AND l.version = %s"
)


def _open_attempt(attempt_id: int, login_id: int, version: int) -> tuple[Attempt, int]:
    """The attempt (its clock fields) of this login, and the grace seconds;
    Refused when the login is no longer this one."""
    sql = _OPEN_ATTEMPT.format(
        attempt=Attempt._meta.db_table,
        login=ExamLogin._meta.db_table,
        seat=SeatAssignment._meta.db_table,
        sitting=Sitting._meta.db_table,
        settings=CbtSettings._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [attempt_id, login_id, version])
        row = cursor.fetchone()
    if row is None:
        raise Refused("登录已失效：您可能已在其他机位登录。")
    pk, state, started, duration, extra, paused, paused_at, n_items, grace = row
    attempt = Attempt(
        pk=pk,
        state=state,
        started_at=_aware(started),
        duration_seconds=duration,
        extra_seconds=extra,
        paused_seconds=paused,
        paused_at=_aware(paused_at),
        n_items=n_items,
    )
    return attempt, CbtSettings.grace_seconds.field.default if grace is None else grace


def _upsert(
    attempt_id: int, position: int, choice: str, marked: bool, seq: int, now: datetime
) -> None:
    """One statement: insert, or update only when `seq` is newer (SQLite and
    PostgreSQL both take ON CONFLICT … DO UPDATE … WHERE)."""
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (attempt_id, position, choice, marked, seq, saved_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (attempt_id, position) DO UPDATE SET "
            "choice = excluded.choice, marked = excluded.marked, "
            "seq = excluded.seq, saved_at = excluded.saved_at "
            f"WHERE {table}.seq < excluded.seq",
            [attempt_id, position, choice, marked, seq, now],
        )


def _score(attempt: Attempt) -> Decimal:
    return queries.scored(attempt).total


def close_attempt(
    attempt_id: int,
    ending: str,
    *,
    by: User | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Attempt:
    """Submit an attempt (the candidate, time-up or the proctor) with every
    answer the server has, score it, and open the candidate's next subject."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("paper__paper_set", "seat__sitting")
            .get(pk=attempt_id)
        )
        if attempt.state == Attempt.State.SUBMITTED:
            return attempt
        if ending == Attempt.Ending.TIME_UP:
            ends = attempt.ends_at()
            # The end is the clock's, not the moment the closer ran.
            attempt.ended_at = min(now, ends) if ends is not None else now
        else:
            attempt.ended_at = now
        attempt.unpause(now)
        attempt.state = Attempt.State.SUBMITTED
        attempt.ending = ending
        attempt.score = _score(attempt)
        attempt.save()
        following = (
            Attempt.objects.select_for_update(of=("self",))
            .filter(seat_id=attempt.seat_id, order=attempt.order + 1)
            .first()
        )
        if following is not None and following.state == Attempt.State.WAITING:
            following.state = Attempt.State.ANSWERING
            following.started_at = now
            following.save(update_fields=["state", "started_at"])
        if ending != Attempt.Ending.SUBMITTED:
            record_audit(
                AuditEvent.Action.CBT_ACTION,
                by=by,
                target=attempt,
                after={"action": ending, "score": str(attempt.score)},
                request=request,
            )
    return attempt


def close_expired(sitting: Sitting | None = None, now: datetime | None = None) -> int:
    """Close every attempt past its end plus the grace, browser or not."""
    now = now or timezone.now()
    open_attempts = Attempt.objects.filter(
        state=Attempt.State.ANSWERING, started_at__isnull=False
    ).select_related("seat__sitting__campaign")
    if sitting is not None:
        open_attempts = open_attempts.filter(seat__sitting=sitting)
    closed = 0
    for attempt in open_attempts.only(
        "started_at",
        "duration_seconds",
        "extra_seconds",
        "paused_seconds",
        "paused_at",
        "seat__sitting__campaign_id",
    ):
        grace = settings_of(attempt.seat.sitting.campaign).grace_seconds
        if attempt.time_up(now, grace):
            close_attempt(attempt.pk, Attempt.Ending.TIME_UP, now=now)
            closed += 1
    return closed


# --- the proctor ------------------------------------------------------------


def _audit(
    action: str, target: object, by: User, request: HttpRequest | None, **after: object
) -> None:
    record_audit(
        AuditEvent.Action.CBT_ACTION,
        by=by,
        target=target,  # type: ignore[arg-type]
        after={"action": action, **after},
        request=request,
    )


def start_room(
    sitting: Sitting,
    room: Room,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> RoomSession:
    """The start signal: every logged-in candidate's first subject opens now."""
    now = now or timezone.now()
    with transaction.atomic():
        session, _ = RoomSession.objects.select_for_update().get_or_create(
            sitting=sitting, room=room
        )
        if session.started_at is not None:
            raise Refused("本考场已开考。")
        if now < starts_at(sitting) - timedelta(
            minutes=settings_of(sitting.campaign).login_minutes
        ):
            raise Refused("还未到开考时间。")
        session.started_at = now
        session.started_by = by
        session.save()
        Attempt.objects.filter(
            seat__sitting=sitting, seat__room=room, order=1, state=Attempt.State.WAITING
        ).update(state=Attempt.State.ANSWERING, started_at=now)
        _audit("start_room", session, by, request)
    return session


def _current(seat: SeatAssignment) -> Attempt | None:
    return (
        Attempt.objects.select_for_update()
        .filter(seat=seat)
        .exclude(state=Attempt.State.SUBMITTED)
        .order_by("order")
        .first()
    )


def pause(
    seat: SeatAssignment,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _current(seat)
        if attempt is None or attempt.state != Attempt.State.ANSWERING:
            raise Refused("该考生不在作答中，不能暂停。")
        attempt.state = Attempt.State.PAUSED
        attempt.paused_at = now
        attempt.save(update_fields=["state", "paused_at"])
        _audit("pause", attempt, by, request)


def resume(
    seat: SeatAssignment,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> None:
    """The time lost while paused is given back."""
    now = now or timezone.now()
    with transaction.atomic():
        attempt = _current(seat)
        if (
            attempt is None
            or attempt.state != Attempt.State.PAUSED
            or attempt.paused_at is None
        ):
            raise Refused("该考生未被暂停。")
        lost = attempt.unpause(now)
        attempt.state = Attempt.State.ANSWERING
        attempt.save(update_fields=["state", "paused_at", "paused_seconds"])
        _audit("resume", attempt, by, request, seconds=lost)


def pause_room(
    sitting: Sitting,
    room: Room,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        count = Attempt.objects.filter(
            seat__sitting=sitting, seat__room=room, state=Attempt.State.ANSWERING
        ).update(state=Attempt.State.PAUSED, paused_at=now)
        RoomSession.objects.filter(sitting=sitting, room=room).update(paused_at=now)
        session = RoomSession.objects.filter(sitting=sitting, room=room).first()
        _audit("pause_room", session or room, by, request, attempts=count)
    return count


def resume_room(
    sitting: Sitting,
    room: Room,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    now = now or timezone.now()
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update(of=("self",)).filter(
                seat__sitting=sitting,
                seat__room=room,
                state=Attempt.State.PAUSED,
                paused_at__isnull=False,
            )
        )
        for attempt in attempts:
            attempt.unpause(now)
            attempt.state = Attempt.State.ANSWERING
        Attempt.objects.bulk_update(attempts, ["paused_seconds", "paused_at", "state"])
        RoomSession.objects.filter(sitting=sitting, room=room).update(paused_at=None)
        session = RoomSession.objects.filter(sitting=sitting, room=room).first()
        _audit("resume_room", session or room, by, request, attempts=len(attempts))
    return len(attempts)


def give_extra_time(
    seat: SeatAssignment,
    minutes: int,
    reason: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> None:
    if not 1 <= minutes <= 60:
        raise Refused("延长时间应为1–60分钟。")
    if not reason.strip():
        raise Refused("请填写延长时间的原因。")
    with transaction.atomic():
        attempt = _current(seat)
        if attempt is None or attempt.started_at is None:
            raise Refused("该考生没有正在作答的科目。")
        attempt.extra_seconds += minutes * 60
        attempt.save(update_fields=["extra_seconds"])
        _audit("extra_time", attempt, by, request, minutes=minutes, reason=reason[:200])


def authorise_move(
    seat: SeatAssignment, pc: str, *, by: User, request: HttpRequest | None = None
) -> None:
    """The candidate may log in once more, at the spare seat `pc`; the old
    PC's login stops working when they do."""
    pc = pc.strip()
    if not pc or len(pc) > 40:
        raise Refused("请填写备用机位号。")
    with transaction.atomic():
        found = ExamLogin.objects.select_for_update().filter(seat=seat).first()
        if found is None:
            raise Refused("该考生尚未登录，无需换机。")
        found.move_to = pc
        found.save(update_fields=["move_to"])
        _audit("authorise_move", found, by, request, pc=pc)


def force_submit(
    seat: SeatAssignment, *, by: User, request: HttpRequest | None = None
) -> Attempt:
    with transaction.atomic():
        attempt = _current(seat)
        if attempt is None or attempt.started_at is None:
            raise Refused("该考生没有正在作答的科目。")
    return close_attempt(attempt.pk, Attempt.Ending.FORCED, by=by, request=request)


def record_irregularity(
    seat: SeatAssignment,
    category: IrregularityCategory,
    note: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Irregularity:
    """违纪违规: the act voids the current subject's score, or all of the
    candidate's subjects of the sitting."""
    now = now or timezone.now()
    note = note.strip()
    if not note:
        raise Refused("请填写情况说明。")
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update().filter(seat=seat).order_by("order")
        )
        # Released scores are results' records: a decision after the release
        # would not reach them (results.release_sitting locks these rows).
        if scores_released(seat.sitting):
            raise Refused("本场次成绩已发布，不能再记录违纪违规。")
        current = next(
            (a for a in attempts if a.state != Attempt.State.SUBMITTED), None
        )
        if current is None and attempts:
            current = attempts[-1]
        found = Irregularity.objects.create(
            seat=seat,
            attempt=current,
            category=category,
            note=note[:500],
            recorded_by=by,
            recorded_at=now,
        )
        voided = (
            attempts
            if category.voids == IrregularityCategory.Voids.ALL
            else [a for a in [current] if a]
        )
        for attempt in voided:
            attempt.voided = category.act[:200]
            attempt.save(update_fields=["voided"])
        ban_until = None
        if category.ban_years:
            today = timezone.localdate(now)
            ban_until = _years_after(today, category.ban_years)
            ExamBan.objects.create(
                user=seat.application.applicant,
                until=ban_until,
                reason=category.act[:200],
                recorded_at=now,
            )
        _audit(
            "irregularity",
            found,
            by,
            request,
            category=category.code,
            voids=category.voids,
            ban_until=ban_until.isoformat() if ban_until else None,
        )
    return found


def _years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def close_expired_of(
    seat: SeatAssignment, now: datetime, attempts: list[Attempt] | None = None
) -> bool:
    """Close the seat's attempt if its time is up (read paths call this, so a
    closed attempt never looks open). `attempts`: the seat's, when the caller
    has read them already. True when one was closed."""
    grace = settings_of(seat.sitting.campaign).grace_seconds
    if attempts is None:
        attempts = list(Attempt.objects.filter(seat=seat))
    closed = False
    for attempt in attempts:
        if attempt.state != Attempt.State.ANSWERING:
            continue
        if attempt.time_up(now, grace):
            close_attempt(attempt.pk, Attempt.Ending.TIME_UP, now=now)
            closed = True
    return closed


def submit(attempt: Attempt, *, now: datetime) -> Attempt:
    """The candidate submits: not before the sitting's earliest time."""
    if attempt.state != Attempt.State.ANSWERING or attempt.started_at is None:
        raise Refused("本科目不在作答中，不能交卷。")
    earliest = attempt.started_at + timedelta(
        minutes=attempt.seat.sitting.earliest_submit_minutes
    )
    if now < earliest:
        raise Refused(
            f"开考{attempt.seat.sitting.earliest_submit_minutes}分钟后才能交卷。"
        )
    return close_attempt(attempt.pk, Attempt.Ending.SUBMITTED, now=now)


def scores_released(sitting: Sitting) -> bool:
    return ScoreRelease.objects.filter(sitting=sitting).exists()


def void_question(
    sitting: Sitting,
    question: Question,
    mode: str,
    reason: str,
    *,
    by: User,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Void a question of the sitting before its scores are released; every
    submitted attempt whose paper holds it is scored again. Returns how many."""
    now = now or timezone.now()
    if mode not in VoidedQuestion.Mode.values:
        raise Refused("请选择作废后的处理方式。")
    if not reason.strip():
        raise Refused("请填写作废原因。")
    with transaction.atomic():
        Sitting.objects.select_for_update(of=("self",)).filter(pk=sitting.pk).first()
        if scores_released(sitting):
            raise Refused("本场次成绩已发布，不能再作废试题。")
        if VoidedQuestion.objects.filter(sitting=sitting, question=question).exists():
            raise Refused("这道题已作废。")
        VoidedQuestion.objects.create(
            sitting=sitting,
            question=question,
            mode=mode,
            reason=reason.strip(),
            voided_by=by,
            voided_at=now,
        )
        rescored = 0
        # Every attempt of the sitting is locked, whatever its state: a
        # submission scoring at this moment (it locks only its attempt) is
        # waited for and then seen submitted, so its score gets the void too;
        # one that starts later waits for this commit and scores with it.
        for attempt in (
            Attempt.objects.select_for_update(of=("self",))
            .filter(seat__sitting=sitting)
            .select_related("paper__paper_set", "seat__sitting")
        ):
            if attempt.state != Attempt.State.SUBMITTED:
                continue
            if any(item[0] == question.pk for item in attempt.paper.items):
                before = attempt.score
                attempt.score = _score(attempt)
                attempt.save(update_fields=["score"])
                rescored += before != attempt.score
        record_audit(
            AuditEvent.Action.CBT_ACTION,
            by=by,
            target=question,
            after={
                "action": "void_question",
                "sitting": sitting.pk,
                "mode": mode,
                "reason": reason.strip()[:200],
                "rescored": rescored,
            },
            request=request,
        )
    return rescored


def export_item_analysis(
    sitting: Sitting, *, by: User, request: HttpRequest | None = None
) -> bytes:
    """The item analysis as Excel; the export is audited."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("试题分析")
    sheet.append(
        [
            "编号",
            "版本",
            "科目",
            "题型",
            "题干",
            "作答人数",
            "难度系数（得分率）",
            "区分度（点二列相关）",
            "各选项人数",
            "提示",
            "作废",
        ]
    )
    modes = dict(VoidedQuestion.Mode.choices)
    for row in queries.item_analysis(sitting):
        stats: analysis.ItemStats = row["stats"]
        q = row["question"]
        sheet.append(
            [
                q.uid,
                q.version,
                row["subject"],
                q.get_kind_display(),
                q.stem[:200],
                stats.n,
                round(stats.facility, 3),
                "" if stats.discrimination is None else round(stats.discrimination, 3),
                "，".join(
                    f"{'未答' if k == analysis.UNANSWERED else k}:{v}"
                    for k, v in stats.options.items()
                ),
                "、".join(stats.flags),
                modes.get(row["voided"] or "", ""),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    record_audit(
        AuditEvent.Action.EXPORTED,
        by=by,
        target=sitting,
        after={"what": "item_analysis"},
        request=request,
    )
    return out.getvalue()


def save_room_access(
    room: Room,
    networks: str,
    seb_config_key: str,
    *,
    by: User,
    request: HttpRequest | None = None,
) -> RoomAccess:
    """Restrict a room's exam to its PCs and, optionally, to Safe Exam Browser."""
    access.parse_networks(networks)  # raises ValueError with the line named
    with transaction.atomic():
        found, _ = RoomAccess.objects.select_for_update().get_or_create(room=room)
        before = {"networks": found.networks, "seb": bool(found.seb_config_key)}
        found.networks = "\n".join(
            line.strip() for line in networks.splitlines() if line.strip()
        )
        found.seb_config_key = seb_config_key.strip()
        found.save()
        record_audit(
            AuditEvent.Action.CONFIG_CHANGED,
            by=by,
            target=found,
            before=before,
            after={"networks": found.networks, "seb": bool(found.seb_config_key)},
            request=request,
        )
    access.forget(room.pk)
    return found


def ensure_categories() -> None:
    """The default categories of 人社部令第31号 (the data migration loads
    them; this restores any missing, e.g. for the demo after a flush)."""
    for order, c in enumerate(irregularities.CATEGORIES):
        IrregularityCategory.objects.get_or_create(
            code=c.code,
            defaults={
                "act": c.act,
                "voids": c.voids,
                "record": c.record,
                "order": order,
            },
        )

"""At the door (入场核验): find the candidate a proctor scanned or typed, check
them in, admit a latecomer with a reason, close the entry (缺考).

The scanned text is the ticket's QR token (a USB scanner types it into the
field), a ticket number, or a 公民身份号码. Refused with a Chinese reason: a
forged token, an earlier version's token (voided by a reissue), a candidate of
another room or sitting, a second check-in, entry before the doors open or
after the late-entry limit. Every check-in is audited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkao.accounts import crypto
from gongkao.accounts.idnumbers import InvalidIdNumber, parse_id_number
from gongkao.accounts.models import User
from gongkao.core.models import AuditEvent
from gongkao.core.services import record_audit
from gongkao.exams.models import (
    AdmissionTicket,
    Attendance,
    ProctorAssignment,
    SeatAssignment,
    Sitting,
)
from gongkao.exams.tickets import is_well_formed, read_token


class CheckInRefused(ValueError):
    """The reason, in Chinese, for the proctor."""


def starts_at(sitting: Sitting) -> datetime:
    naive = datetime.combine(sitting.date, sitting.start_time)
    return timezone.make_aware(naive)


def doors_open(sitting: Sitting) -> datetime:
    return starts_at(sitting) - timedelta(minutes=sitting.entry_opens_minutes)


def entry_closes(sitting: Sitting) -> datetime:
    return starts_at(sitting) + timedelta(minutes=sitting.late_entry_minutes)


def _ticket(scanned: str) -> AdmissionTicket:
    text = scanned.strip()
    if ":" in text:
        read = read_token(text)
        if read is None:
            raise CheckInRefused(
                "二维码无效：不是本系统签发的准考证。请核对身份证，联系考务人员。"
            )
        ticket = AdmissionTicket.objects.filter(pk=read[0]).first()
        if ticket is None:
            raise CheckInRefused("准考证已作废。")
        if ticket.withdrawn_at is not None:
            raise CheckInRefused("该考生已放弃考试。")
        if read[1] != ticket.version:
            raise CheckInRefused(
                "这是作废的旧版准考证：考场或座位已调整，请按最新准考证就座。"
            )
        return ticket
    if is_well_formed(text) and len(text) == 16:
        ticket = AdmissionTicket.objects.filter(number=text.upper()).first()
        if ticket is None:
            raise CheckInRefused("没有这个准考证号。")
        return ticket
    try:
        id_number = parse_id_number(text).value
    except InvalidIdNumber:
        raise CheckInRefused(
            "请扫描准考证二维码，或输入准考证号、公民身份号码。"
        ) from None
    user = User.objects.filter(id_number_index=crypto.blind_index(id_number)).first()
    ticket = (
        AdmissionTicket.objects.filter(application__applicant=user)
        .order_by("-issued_at")
        .first()
        if user is not None
        else None
    )
    if ticket is None:
        raise CheckInRefused("没有找到这个身份证号码的准考证。")
    return ticket


def find_seat(duty: ProctorAssignment, scanned: str) -> SeatAssignment:
    """The seat of the scanned candidate in the proctor's room and sitting."""
    ticket = _ticket(scanned)
    if ticket.withdrawn_at is not None:
        raise CheckInRefused("该考生已放弃考试。")
    seat = (
        SeatAssignment.objects.filter(
            application_id=ticket.application_id, sitting=duty.sitting
        )
        .select_related(
            "room__centre", "application__applicant", "application__job_type"
        )
        .first()
    )
    if seat is None:
        raise CheckInRefused("该考生不参加本场次考试，请核对准考证上的日期和时间。")
    if seat.room_id != duty.room_id:
        raise CheckInRefused(
            f"该考生不在本考场：应到{seat.room}，{seat.number}号座位。"
        )
    return seat


@transaction.atomic
def check_in(
    duty: ProctorAssignment,
    seat: SeatAssignment,
    *,
    by: User,
    late_reason: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Attendance:
    """Mark the candidate present; after the start only with a reason, and
    never after the late-entry limit or twice."""
    now = now or timezone.now()
    locked = SeatAssignment.objects.select_for_update().get(pk=seat.pk)
    if locked.sitting_id != duty.sitting_id or locked.room_id != duty.room_id:
        raise CheckInRefused("该考生不在本考场。")
    sitting = duty.sitting
    existing = Attendance.objects.filter(seat=locked).first()
    if existing is not None:
        if existing.status == Attendance.Status.PRESENT:
            raise CheckInRefused(
                f"该准考证已于{timezone.localtime(existing.at):%H:%M}登记到场，不能重复使用。"
            )
        raise CheckInRefused("本场次入场已结束，该考生已记为缺考。")
    if now < doors_open(sitting):
        raise CheckInRefused(
            f"还未到入场时间（{timezone.localtime(doors_open(sitting)):%H:%M}开始入场）。"
        )
    if now > entry_closes(sitting):
        raise CheckInRefused(f"开考已超过{sitting.late_entry_minutes}分钟，禁止入场。")
    late = now > starts_at(sitting)
    if late and not late_reason.strip():
        raise CheckInRefused("已开考：迟到考生入场须填写放行理由。")
    attendance = Attendance.objects.create(
        seat=locked,
        status=Attendance.Status.PRESENT,
        at=now,
        by=by,
        late_reason=late_reason.strip() if late else "",
    )
    record_audit(
        AuditEvent.Action.CHECKED_IN,
        by=by,
        target=locked,
        after={"late_reason": attendance.late_reason} if late else {"on_time": True},
        request=request,
    )
    return attendance


@transaction.atomic
def close_entry(
    sitting: Sitting, *, by: User | None, now: datetime | None = None
) -> int:
    """After the late-entry limit: every seat without a check-in is 缺考.
    Returns how many were written absent; idempotent."""
    now = now or timezone.now()
    locked = Sitting.objects.select_for_update().get(pk=sitting.pk)
    if now <= entry_closes(locked):
        raise CheckInRefused("还未到禁止入场时间，不能结束入场。")
    missing = SeatAssignment.objects.filter(sitting=locked, attendance__isnull=True)
    rows = [
        Attendance(seat=seat, status=Attendance.Status.ABSENT, at=now, by=by)
        for seat in missing
    ]
    Attendance.objects.bulk_create(rows)
    if locked.closed_at is None:
        locked.closed_at = now
        locked.save(update_fields=["closed_at"])
    record_audit(
        AuditEvent.Action.CHECKED_IN, by=by, target=locked, after={"absent": len(rows)}
    )
    return len(rows)


def door_state(seat: SeatAssignment, now: datetime) -> str:
    """present, absent (written or derived after the limit) or waiting."""
    attendance = getattr(seat, "attendance", None)
    if attendance is not None:
        return str(attendance.status)
    return Attendance.Status.ABSENT if now > entry_closes(seat.sitting) else "waiting"

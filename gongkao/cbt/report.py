"""The room report (考场记录) PDF, through the one PDF path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from gongkao.cbt import queries
from gongkao.cbt.models import Attempt, Irregularity
from gongkao.core.models import AuditEvent
from gongkao.core.pdf import render_pdf
from gongkao.exams.models import ProctorAssignment

TEMPLATE = Path(__file__).with_name("room_report.typ")
ACTIONS = {
    "start_room": "发出开考信号",
    "pause_room": "全场暂停",
    "resume_room": "全场恢复",
    "pause": "暂停考生",
    "resume": "恢复考生",
    "extra_time": "延长时间",
    "authorise_move": "授权换机",
    "forced": "强制交卷",
    "time_up": "时间到自动交卷",
    "irregularity": "记录违纪违规",
}


def _time(value: Any) -> str:
    return f"{timezone.localtime(value):%H:%M:%S}" if value else ""


def report_data(duty: ProctorAssignment) -> dict[str, Any]:
    rows = queries.console_rows(duty)
    session = queries.room_session(duty)
    attempt_ids = [a.pk for r in rows for a in r["attempts"]]
    seat_ids = [r["seat"].pk for r in rows]
    targets = [("cbt.Attempt", str(pk)) for pk in attempt_ids]
    events = AuditEvent.objects.filter(action=AuditEvent.Action.CBT_ACTION).filter(
        target_type__in=[
            "cbt.Attempt",
            "cbt.RoomSession",
            "cbt.ExamLogin",
            "cbt.Irregularity",
        ]
    )
    wanted = set(targets)
    if session is not None:
        wanted.add(("cbt.RoomSession", str(session.pk)))
    irregularities = list(
        Irregularity.objects.filter(seat_id__in=seat_ids).select_related(
            "seat__application__applicant", "category"
        )
    )
    wanted |= {("cbt.Irregularity", str(i.pk)) for i in irregularities}
    wanted |= {
        ("cbt.ExamLogin", str(r["login"].pk)) for r in rows if r["login"] is not None
    }
    actions = [
        [
            _time(e.at),
            e.actor_label,
            f"{ACTIONS.get(str((e.after or {}).get('action')), '操作')} {e.target_label}",
        ]
        for e in events.order_by("at")
        if (e.target_type, e.target_id) in wanted
    ]

    def subjects(attempts: list[Attempt]) -> str:
        return (
            "；".join(
                f"{a.subject.name} {a.get_ending_display() or a.get_state_display()}"
                + (f" {a.score}分" if a.score is not None else "")
                + ("（成绩无效）" if a.voided else "")
                for a in attempts
            )
            or "未登录"
        )

    seated = len(rows)
    sat = sum(1 for r in rows if r["attempts"])
    return {
        "title": f"{duty.room} 考场记录",
        "campaign": duty.sitting.campaign.name,
        "centre": duty.room.centre.name,
        "room": f"第{duty.room.number}考场",
        "sitting": str(duty.sitting),
        "started": _time(session.started_at) if session else "未开考",
        "proctors": "、".join(
            p.user.name
            for p in ProctorAssignment.objects.filter(
                sitting_id=duty.sitting_id, room_id=duty.room_id
            ).select_related("user")
        ),
        "seated": str(seated),
        "sat": str(sat),
        "absent": str(seated - sat),
        "rows": [
            [
                f"{r['seat'].number:02d}",
                r["seat"].application.applicant.name,
                r["attendance"].get_status_display() if r["attendance"] else "—",
                subjects(r["attempts"]),
            ]
            for r in rows
        ],
        "irregularities": [
            [
                _time(i.recorded_at),
                i.seat.application.applicant.name,
                f"{i.category.act}（{i.category.get_voids_display()}）",
                i.note,
            ]
            for i in irregularities
        ],
        "actions": actions,
    }


def render_report(duty: ProctorAssignment) -> bytes:
    return render_pdf(TEMPLATE, report_data(duty))

"""准考证 as PDF: the rows of every candidate's ticket, rendered through the one
PDF path (core.pdf.render_pdf, ticket.typ beside this module)."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import segno
from django.db.models import F

from gongkao.applications.models import MaterialFile
from gongkao.core.pdf import render_pdf
from gongkao.exams.models import AdmissionTicket, SeatAssignment
from gongkao.exams.tickets import token_for

TEMPLATE = Path(__file__).with_name("ticket.typ")


def candidate_rules(entry: int, late: int, earliest: int) -> list[str]:
    """考生须知, with the sitting's own limits."""
    return [
        "凭本准考证和本人有效居民身份证原件参加考试，两证缺一不得入场。",
        f"开考前{entry}分钟开始入场，按准考证上的考场和座位号就座。",
        f"开考{late}分钟后禁止入场，未入场的按缺考处理。",
        f"开考{earliest}分钟后方可交卷离场。",
        "手机等通讯工具和电子设备关机后放在指定位置，不得带至座位。",
        "遵守考场纪律，服从监考人员安排；违纪违规的按有关规定处理。",
    ]


def qr_svg(text: str) -> bytes:
    """The token as a QR code (SVG). A fixed mask: choosing the best of eight
    costs three times the encoding, and scanners read any mask."""
    buffer = io.BytesIO()
    segno.make(text, error="m", mask=0, boost_error=False).save(
        buffer, kind="svg", scale=4, border=2
    )
    return buffer.getvalue()


def photos_of(application_ids: list[int]) -> dict[int, MaterialFile]:
    """The current photo of each application (the materials' "photo" slot)."""
    files = MaterialFile.objects.filter(
        material__application_id__in=application_ids,
        material__slot="photo",
        material__current_id=F("id"),
    ).select_related("material")
    return {f.material.application_id: f for f in files}


def ticket_document(
    tickets: list[AdmissionTicket],
) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The data and files of a document holding `tickets`, in their order."""
    ids = [t.application_id for t in tickets]
    seats: dict[int, list[SeatAssignment]] = defaultdict(list)
    for seat in (
        SeatAssignment.objects.filter(application_id__in=ids)
        .select_related("sitting", "room__centre")
        .prefetch_related("sitting__subjects")
        .order_by("sitting__date", "sitting__start_time")
    ):
        seats[seat.application_id].append(seat)
    photos = photos_of(ids)
    files: dict[str, bytes] = {}
    pages = []
    for ticket in tickets:
        application = ticket.application
        rows = []
        limits = (30, 30, 30)
        for seat in seats[application.pk]:
            sitting = seat.sitting
            subjects = [
                s.name for s in sitting.subjects.all() if s.level == application.level
            ]
            rows.append(
                {
                    "when": f"{sitting.date.month}月{sitting.date.day}日 {sitting.start_time:%H:%M}",
                    "subjects": "、".join(subjects),
                    "centre": seat.room.centre.name,
                    "address": seat.room.centre.address,
                    "room": f"第{seat.room.number}考场",
                    "seat": f"{seat.number:02d}",
                }
            )
            limits = (
                sitting.entry_opens_minutes,
                sitting.late_entry_minutes,
                sitting.earliest_submit_minutes,
            )
        qr_name = f"qr-{ticket.pk}.svg"
        files[qr_name] = qr_svg(token_for(ticket.pk, ticket.version))
        photo_name = None
        stored = photos.get(application.pk)
        if stored is not None:
            photo_name = f"photo-{ticket.pk}.{stored.extension.lstrip('.') or 'jpg'}"
            with stored.file.open("rb") as handle:
                files[photo_name] = handle.read()
        campaign = application.campaign
        pages.append(
            {
                "title": f"{campaign.name}",
                "number": ticket.number,
                "name": application.applicant.name,
                "id_number": application.applicant.id_number_masked,
                "level": application.get_level_display() or "",
                "job_type": str(application.job_type or ""),
                "unit": str(application.unit or ""),
                "rows": rows,
                "rules": candidate_rules(*limits),
                "photo": photo_name,
                "qr": qr_name,
                "footer": f"第{ticket.version}版 · 以最新打印的准考证为准",
            }
        )
    title = "准考证" if len(tickets) != 1 else f"准考证 {tickets[0].number}"
    return {"title": title, "tickets": pages}, files


def render_tickets(tickets: list[AdmissionTicket]) -> bytes:
    data, files = ticket_document(tickets)
    return render_pdf(TEMPLATE, data, files)

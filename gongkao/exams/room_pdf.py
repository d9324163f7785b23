"""Room documents as PDF (one room in one sitting): the door list (门贴), the
seat chart and the sign-in sheet with each candidate's photo and a signature
box, through the one PDF path (core.pdf.render_pdf, room_sheet.typ)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongkao.core.pdf import render_pdf
from gongkao.exams.models import Room, SeatAssignment, Sitting
from gongkao.exams.ticket_pdf import photos_of

TEMPLATE = Path(__file__).with_name("room_sheet.typ")
KINDS = {"door": "门贴", "chart": "座位表", "signin": "考场签到表"}


def room_document(
    kind: str, sitting: Sitting, room: Room, seats: list[SeatAssignment]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    data: dict[str, Any] = {
        "kind": kind,
        "title": f"{room} {KINDS[kind]}",
        "heading": KINDS[kind],
        "campaign": sitting.campaign.name,
        "centre": room.centre.name,
        "room": f"第{room.number}考场",
        "sitting": str(sitting),
    }
    files: dict[str, bytes] = {}
    if kind == "door":
        half = (len(seats) + 1) // 2
        left, right = seats[:half], seats[half:]
        data["pairs"] = [
            [
                f"{a.number:02d}",
                a.application.applicant.name,
                f"{right[i].number:02d}" if i < len(right) else "",
                right[i].application.applicant.name if i < len(right) else "",
            ]
            for i, a in enumerate(left)
        ]
    elif kind == "chart":
        taken = {s.number: s.application.applicant.name for s in seats}
        data["row_length"] = room.row_length
        data["cells"] = [
            [
                f"{n:02d}",
                taken.get(n, "备用" if n > room.seats - room.spare_seats else ""),
            ]
            for n in range(1, room.seats + 1)
        ]
    else:
        photos = photos_of([s.application_id for s in seats])
        rows = []
        for seat in seats:
            stored = photos.get(seat.application_id)
            name = None
            if stored is not None:
                name = f"photo-{seat.pk}.{stored.extension.lstrip('.') or 'jpg'}"
                with stored.file.open("rb") as handle:
                    files[name] = handle.read()
            ticket = getattr(seat.application, "ticket", None)
            rows.append(
                {
                    "seat": f"{seat.number:02d}",
                    "photo": name,
                    "name": seat.application.applicant.name,
                    "id_number": seat.application.applicant.id_number_masked,
                    "number": ticket.number if ticket is not None else "",
                }
            )
        data["rows"] = rows
    return data, files


def render_room(
    kind: str, sitting: Sitting, room: Room, seats: list[SeatAssignment]
) -> bytes:
    data, files = room_document(kind, sitting, room, seats)
    return render_pdf(TEMPLATE, data, files)

"""At the door (issue #14, point 6): a proctor of one room and sitting checks
candidates in by QR token, ticket number or ID number; forged, voided and
reused tokens and other rooms are refused; latecomers need a reason; after
the limit the rest are absent."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkao.accounts.models import Role
from gongkao.core.models import AuditEvent
from gongkao.exams import checkin, services
from gongkao.exams.models import AdmissionTicket, Attendance, Room, SeatAssignment
from gongkao.exams.seating import allocate_seats
from gongkao.exams.tickets import token_for
from tests import factories
from tests.exams.conftest import BACKEND, build_plan

pytestmark = pytest.mark.django_db
# The demo plan's sitting: 2025-06-14 09:00 (doors 08:30, no entry after 09:30).
BEFORE = "2025-06-14 08:00 +0800"
ON_TIME = "2025-06-14 08:45 +0800"
LATE = "2025-06-14 09:10 +0800"
TOO_LATE = "2025-06-14 09:40 +0800"


@pytest.fixture
def door(client, campaign, office_reviewer, qualified):
    sitting = build_plan(client, office_reviewer, campaign)
    allocate_seats(campaign, by=office_reviewer)
    services.lock_plan(campaign, by=office_reviewer)
    services.issue_tickets(campaign, by=office_reviewer)
    office = office_reviewer.role_assignments.get().office
    proctor = factories.staff(Role.PROCTOR, office=office, name="马丽")
    room = Room.objects.get(number="01")
    duty = services.assign_proctor(sitting, room, proctor, by=office_reviewer)
    seat = (
        SeatAssignment.objects.filter(room=room).select_related("application").first()
    )
    other = (
        SeatAssignment.objects.exclude(room=room).select_related("application").first()
    )
    return {"duty": duty, "proctor": proctor, "seat": seat, "other": other}


def _token(seat):
    ticket = AdmissionTicket.objects.get(application=seat.application)
    return token_for(ticket.pk, ticket.version)


def _at(when: str) -> datetime:
    return timezone.make_aware(datetime.strptime(when[:16], "%Y-%m-%d %H:%M"))


def test_the_three_ways_in_find_the_same_seat(door):
    seat, duty = door["seat"], door["duty"]
    ticket = AdmissionTicket.objects.get(application=seat.application)
    by_token = checkin.find_seat(duty, _token(seat))
    by_number = checkin.find_seat(duty, ticket.number)
    by_id = checkin.find_seat(duty, seat.application.applicant.id_number)
    assert by_token.pk == by_number.pk == by_id.pk == seat.pk


@pytest.mark.parametrize(
    ("scanned", "reason"),
    [
        ("1.1:forged-signature", "不是本系统签发"),
        ("not a ticket", "请扫描"),
        ("2025410800999998", "请扫描"),  # bad check character
    ],
)
def test_forged_or_garbled_input_is_refused(door, scanned, reason):
    with pytest.raises(checkin.CheckInRefused, match=reason):
        checkin.find_seat(door["duty"], scanned)


def test_another_rooms_candidate_and_a_voided_token_are_refused(door):
    with pytest.raises(checkin.CheckInRefused, match="不在本考场"):
        checkin.find_seat(door["duty"], _token(door["other"]))
    old = _token(door["seat"])
    AdmissionTicket.objects.filter(application=door["seat"].application).update(
        version=2
    )
    with pytest.raises(checkin.CheckInRefused, match="作废的旧版"):
        checkin.find_seat(door["duty"], old)


def test_entry_times_late_reason_and_no_second_use(door):
    duty, seat, proctor = door["duty"], door["seat"], door["proctor"]
    with pytest.raises(checkin.CheckInRefused, match="还未到入场时间"):
        checkin.check_in(duty, seat, by=proctor, now=_at(BEFORE))
    with pytest.raises(checkin.CheckInRefused, match="放行理由"):
        checkin.check_in(duty, seat, by=proctor, now=_at(LATE))
    checkin.check_in(
        duty, seat, by=proctor, now=_at(LATE), late_reason="公交晚点，核实无误"
    )
    with pytest.raises(checkin.CheckInRefused, match="不能重复使用"):
        checkin.check_in(duty, seat, by=proctor, now=_at(LATE), late_reason="再次")
    second = SeatAssignment.objects.filter(room=duty.room).exclude(pk=seat.pk).first()
    with pytest.raises(checkin.CheckInRefused, match="禁止入场"):
        checkin.check_in(duty, second, by=proctor, now=_at(TOO_LATE), late_reason="x")
    absent = checkin.close_entry(duty.sitting, by=proctor, now=_at(TOO_LATE))
    assert absent == SeatAssignment.objects.filter(sitting=duty.sitting).count() - 1
    assert checkin.close_entry(duty.sitting, by=proctor, now=_at(TOO_LATE)) == 0
    assert Attendance.objects.get(seat=seat).late_reason == "公交晚点，核实无误"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHECKED_IN).count() == 3


def test_door_page_at_360px_scans_and_admits(client, door):
    duty, seat = door["duty"], door["seat"]
    client.force_login(door["proctor"], backend=BACKEND)
    with time_machine.travel(ON_TIME, tick=False):
        client.force_login(door["proctor"], backend=BACKEND)
        page = client.get(reverse("exams:door", args=[duty.pk]))
        assert page.status_code == 200 and "入场核验" in page.content.decode()
        found = client.post(
            reverse("exams:scan", args=[duty.pk]), {"scanned": _token(seat)}
        )
        assert seat.application.applicant.name in found.content.decode()
        assert "确认到场" in found.content.decode()
        bad = client.post(reverse("exams:scan", args=[duty.pk]), {"scanned": "x\x00"})
        assert "不能入场" in bad.content.decode()
        client.post(reverse("exams:admit", args=[duty.pk, seat.pk]))
    assert Attendance.objects.get(seat=seat).status == Attendance.Status.PRESENT


def test_a_proctor_sees_only_their_own_room(client, door, office_reviewer, applicant):
    duty, other = door["duty"], door["other"]
    stranger = factories.staff(
        Role.PROCTOR, office=office_reviewer.role_assignments.get().office, name="别人"
    )
    for user in [stranger, office_reviewer, applicant]:
        client.force_login(user, backend=BACKEND)
        assert client.get(reverse("exams:door", args=[duty.pk])).status_code == 404
        assert client.post(reverse("exams:scan", args=[duty.pk])).status_code == 404
    client.force_login(door["proctor"], backend=BACKEND)
    # A seat of another room through one's own duty.
    url = reverse("exams:admit", args=[duty.pk, other.pk])
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("exams:photo", args=[duty.pk, other.pk])).status_code == 404
    )


@pytest.mark.parametrize(
    ("kind", "heading"),
    [("door", "门贴"), ("chart", "座位表"), ("signin", "考场签到表")],
)
def test_room_documents_as_pdf(
    client, door, office_reviewer, kind, heading, tmp_path, screenshot_dir
):
    duty, seat = door["duty"], door["seat"]
    client.force_login(office_reviewer, backend=BACKEND)
    url = reverse(
        "exams:room_pdf",
        args=[
            factories.assignment_of(office_reviewer).pk,
            duty.sitting_id,
            duty.room_id,
            kind,
        ],
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "r.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert heading in text and seat.application.applicant.name in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(path),
            str(screenshot_dir / f"room-{kind}"),
        ],
        check=True,
    )
    # The proctor prints the same sheet from the door page; another room's is a 404.
    client.force_login(door["proctor"], backend=BACKEND)
    assert client.get(reverse("exams:sheet", args=[duty.pk, kind])).status_code == 200
    assert client.get(reverse("exams:sheet", args=[duty.pk, "x"])).status_code == 404
    stranger = factories.staff(
        Role.PROCTOR, office=duty.room.centre.office, name="别人"
    )
    client.force_login(stranger, backend=BACKEND)
    assert client.get(reverse("exams:sheet", args=[duty.pk, kind])).status_code == 404


def test_a_seat_moved_by_hand_reissues_the_ticket_and_voids_the_old_qr(
    client, door, office_reviewer
):
    duty, seat = door["duty"], door["seat"]
    old = _token(seat)
    room = duty.room
    free = room.seats - room.spare_seats  # the last usable seat is free (6 of 7)
    url = reverse(
        "exams:room",
        args=[factories.assignment_of(office_reviewer).pk, duty.sitting_id, room.pk],
    )
    client.force_login(office_reviewer, backend=BACKEND)
    taken = SeatAssignment.objects.filter(room=room).exclude(pk=seat.pk).first()
    for number, message in [(taken.number, "已有考生"), (room.seats, "备用座位")]:
        response = client.post(
            url, {"seat": seat.pk, "room": room.pk, "number": number}, follow=True
        )
        assert message in response.content.decode()
    client.post(url, {"seat": seat.pk, "room": room.pk, "number": free})
    seat.refresh_from_db()
    assert (seat.number, seat.moved_by_hand) == (free, True)
    ticket = AdmissionTicket.objects.get(application=seat.application)
    assert ticket.version == 2
    with pytest.raises(checkin.CheckInRefused, match="作废的旧版"):
        checkin.find_seat(duty, old)
    assert checkin.find_seat(duty, _token(seat)).pk == seat.pk
    from gongkao.core.models import Notification

    assert Notification.objects.filter(
        user=seat.application.applicant, title="准考证已更新"
    ).exists()
    # A seat of another room through this room's page is a 404.
    response = client.post(
        url, {"seat": door["other"].pk, "room": room.pk, "number": 1}
    )
    assert response.status_code == 404

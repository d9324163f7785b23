"""Admission tickets (issue #14, point 4): numbers with a check character, a
signed QR token that a reissue voids, issue after the lock, the candidate's
own PDF inside the printing window."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
import time_machine
import zxingcpp
from django.utils import timezone
from PIL import Image

from gongkao.accounts.idnumbers import check_digit
from gongkao.core.models import Notification
from gongkao.exams import services
from gongkao.exams.models import AdmissionTicket
from gongkao.exams.seating import PlanLocked, allocate_seats
from gongkao.exams.tickets import is_well_formed, read_token, ticket_number, token_for
from tests import factories
from tests.exams.conftest import BACKEND, _url, build_plan

pytestmark = pytest.mark.django_db


def test_number_carries_year_city_serial_and_a_check_character():
    number = ticket_number(2025, "410800", 17)
    assert number.startswith("202541080000017") and len(number) == 16
    assert is_well_formed(number)
    assert not is_well_formed(number[:-1] + ("0" if number[-1] != "0" else "1"))
    # The same MOD 11-2 as the 公民身份号码.
    assert ticket_number(0, "", 0)[:-1] == "000000"
    first17 = "41080219720315123"
    from gongkao.exams.tickets import check_character

    assert check_character(first17) == check_digit(first17)


def test_token_is_signed_and_a_forgery_is_refused():
    token = token_for(12, 3)
    assert read_token(token) == (12, 3)
    assert read_token(token.replace("12.3", "13.3")) is None
    assert read_token("12.3:forged") is None
    assert read_token("") is None


@pytest.fixture
def planned(client, campaign, office_reviewer, qualified):
    build_plan(client, office_reviewer, campaign)
    allocate_seats(campaign, by=office_reviewer)
    return campaign


def test_tickets_are_issued_after_the_lock_with_a_message_each(
    planned, office_reviewer
):
    with pytest.raises(PlanLocked):
        services.issue_tickets(planned, by=office_reviewer)
    services.lock_plan(planned, by=office_reviewer)
    assert services.issue_tickets(planned, by=office_reviewer) == 12
    assert services.issue_tickets(planned, by=office_reviewer) == 0
    numbers = list(AdmissionTicket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 12 and all(is_well_formed(n) for n in numbers)
    assert Notification.objects.filter(kind=Notification.Kind.TICKET).count() == 12


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_candidate_prints_own_ticket_in_the_window_and_the_qr_checks_in(
    client, planned, office_reviewer, tmp_path, screenshot_dir
):
    services.lock_plan(planned, by=office_reviewer)
    services.issue_tickets(planned, by=office_reviewer)
    ticket = AdmissionTicket.objects.select_related("application__applicant").first()
    applicant = ticket.application.applicant
    photo = factories.MaterialFactory.create(
        application=ticket.application, slot="photo"
    )
    factories.MaterialFileFactory.create(
        material=photo,
        data=factories.jpeg(),
        extension=".jpg",
        content_type="image/jpeg",
    )
    client.force_login(applicant, backend=BACKEND)
    pdf_url = f"/apply/tickets/{ticket.pk}.pdf"
    assert client.get(pdf_url).status_code == 404  # no window yet
    now = timezone.now()
    services.set_ticket_window(
        planned, now - timedelta(hours=1), now + timedelta(days=7), by=office_reviewer
    )
    assert "打印准考证" in client.get("/apply/tickets/").content.decode()
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert ticket.number in text and applicant.name in text and "考生须知" in text
    fonts = subprocess.run(
        ["pdffonts", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Noto" in fonts and " no " not in fonts.split("\n", 2)[2].replace(
        "yes yes", ""
    )
    # The QR code on the page decodes to a token of this ticket.
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "150",
            "-singlefile",
            str(tmp_path / "t.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    page = Image.open(tmp_path / "p.png")
    page.save(screenshot_dir / "ticket-page.png")
    codes = zxingcpp.read_barcodes(page)
    assert [read_token(c.text) for c in codes] == [(ticket.pk, ticket.version)]
    # Someone else's ticket, and staff, get 404.
    other = AdmissionTicket.objects.exclude(pk=ticket.pk).first()
    assert client.get(f"/apply/tickets/{other.pk}.pdf").status_code == 404
    client.force_login(office_reviewer, backend=BACKEND)
    assert client.get(pdf_url).status_code == 404
    assert client.get("/apply/tickets/").status_code == 404


def test_ticket_window_must_close_after_it_opens(client, planned, office_reviewer):
    services.lock_plan(planned, by=office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    response = client.post(
        _url(office_reviewer, "exams:ticket_window", campaign=planned.pk),
        {"opens": "2025-06-07T16:00", "closes": "2025-06-01T16:00"},
        follow=True,
    )
    assert "截止时间必须晚于开始时间" in response.content.decode()


def test_a_candidate_withdraws_before_the_deadline_and_the_seat_is_freed(
    client, planned, office_reviewer
):
    from gongkao.exams import checkin
    from gongkao.exams.models import ExamPlan, SeatAssignment

    services.lock_plan(planned, by=office_reviewer)
    services.issue_tickets(planned, by=office_reviewer)
    ticket = AdmissionTicket.objects.select_related("application__applicant").first()
    applicant = ticket.application.applicant
    token = token_for(ticket.pk, ticket.version)
    client.force_login(applicant, backend=BACKEND)
    other = AdmissionTicket.objects.exclude(pk=ticket.pk).first()
    assert client.post(f"/apply/tickets/{other.pk}/withdraw/").status_code == 404
    with time_machine.travel(
        "2025-06-14 08:00 +0800", tick=False
    ):  # exam day: too late
        client.force_login(applicant, backend=BACKEND)
        client.post(f"/apply/tickets/{ticket.pk}/withdraw/")
    ticket.refresh_from_db()
    assert ticket.withdrawn_at is None
    with time_machine.travel("2025-06-10 10:00 +0800", tick=False):
        client.force_login(applicant, backend=BACKEND)
        page = client.get("/apply/tickets/").content.decode()
        assert "放弃考试（6月13日前）" in page
        client.post(f"/apply/tickets/{ticket.pk}/withdraw/")
    ticket.refresh_from_db()
    assert ticket.withdrawn_at is not None and ticket.version == 2
    assert not SeatAssignment.objects.filter(application=ticket.application).exists()
    duty_room = SeatAssignment.objects.first().room
    from gongkao.exams.models import ProctorAssignment

    duty = ProctorAssignment(
        sitting=SeatAssignment.objects.first().sitting, room=duty_room
    )
    with pytest.raises(checkin.CheckInRefused, match="已放弃考试"):
        checkin.find_seat(duty, token)
    assert ExamPlan.objects.get().withdraw_until is None


def test_the_unit_clerk_prints_all_the_units_tickets_in_one_pdf(
    client,
    planned,
    office_reviewer,
    clerk,
    county_clerk,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    services.lock_plan(planned, by=office_reviewer)
    services.issue_tickets(planned, by=office_reviewer)
    school = factories.assignment_of(clerk).unit
    mine = AdmissionTicket.objects.filter(application__unit=school)
    assert mine.exists()
    client.force_login(clerk, backend=BACKEND)
    url = f"/unit/{factories.assignment_of(clerk).pk}/tickets/"
    assert all(t.number in client.get(url).content.decode() for t in mine)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job_url = response["Location"]
    from gongkao.core.models import BackgroundJob

    job = BackgroundJob.objects.get(kind=services.UNIT_TICKETS)
    assert job.state == BackgroundJob.State.DONE
    download = client.get(f"/jobs/{job.pk}/download/")
    pdf = b"".join(download.streaming_content)
    text = _pdf_text(pdf, tmp_path)
    assert all(t.number in text for t in mine)
    others = AdmissionTicket.objects.exclude(application__unit=school)
    assert not any(t.number in text for t in others)
    assert job_url.endswith(f"/jobs/{job.pk}/")
    # Another unit's clerk cannot use this page; nor can the applicant.
    client.force_login(county_clerk, backend=BACKEND)
    assert client.get(url).status_code == 404

"""The proctor at the door on a phone (issue #14): scan a ticket's token, see
the photo, name and seat, check the candidate in; a forged token is refused."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from playwright.sync_api import Page, ViewportSize, expect

from gongkao.accounts.models import Role
from gongkao.applications.states import Status
from gongkao.exams import services
from gongkao.exams.models import (
    AdmissionTicket,
    Room,
    SeatAssignment,
    Sitting,
    TestCentre,
)
from gongkao.exams.seating import allocate_seats, ensure_subjects
from gongkao.exams.tickets import token_for
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 360, "height": 740}
PASSWORD = "Gk-door-2025!x"


def _plan(campaign, office, admin):
    ensure_subjects(campaign)
    centre = TestCentre.objects.create(
        campaign=campaign,
        office=office,
        name="职业技术学院考点",
        address="焦作市山阳区",
    )
    room = Room.objects.create(centre=centre, number="01", seats=12, spare_seats=2)
    sitting = Sitting.objects.create(
        campaign=campaign,
        office=office,
        name="第一场",
        date=date(2025, 6, 14),
        start_time=time(9, 0),
    )
    sitting.subjects.set(campaign.subjects.filter(level=4))
    sitting.rooms.set([room])
    allocate_seats(campaign, by=admin)
    services.lock_plan(campaign, by=admin)
    services.issue_tickets(campaign, by=admin)
    return sitting, room


def test_proctor_checks_a_candidate_in_and_refuses_a_forgery(
    live_server, page: Page, screenshot_dir, campaign, school, city_office, office_admin
):
    for _ in range(3):
        factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=4,
            unit=school,
            job_type=factories.JobTypeFactory.create(electrician=True),
        )
    sitting, room = _plan(campaign, city_office, office_admin)
    proctor = factories.staff(
        Role.PROCTOR, office=city_office, name="马丽", phone="13800000071"
    )
    proctor.set_password(PASSWORD)
    proctor.save()
    services.assign_proctor(sitting, room, proctor, by=office_admin)
    seat = SeatAssignment.objects.select_related("application__applicant").first()
    assert seat is not None
    ticket = AdmissionTicket.objects.get(application=seat.application)
    with time_machine.travel("2025-06-14 08:45 +0800", tick=True):
        page.set_viewport_size(PHONE)
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号或公民身份号码").fill("13800000071")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("link", name="我的监考安排（入场核验）").click()
        page.get_by_role("link", name="第01考场").first.click()
        field = page.get_by_label("扫描准考证二维码，或输入准考证号、身份证号")
        field.fill("1.1:forged")
        page.get_by_role("button", name="核验").click()
        expect(page.locator("#candidate")).to_contain_text("不是本系统签发")
        page.screenshot(path=screenshot_dir / "door-forged-360.png", full_page=True)
        field.fill(token_for(ticket.pk, ticket.version))
        page.get_by_role("button", name="核验").click()
        expect(page.locator("#candidate")).to_contain_text(
            seat.application.applicant.name
        )
        expect(page.locator("#candidate")).to_contain_text(f"{seat.number}号座位")
        page.screenshot(path=screenshot_dir / "door-found-360.png", full_page=True)
        page.get_by_role("button", name="确认到场").click()
        expect(page.locator("main")).to_contain_text("已登记到场")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0
        page.screenshot(path=screenshot_dir / "door-admitted-360.png", full_page=True)

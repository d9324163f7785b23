"""The exam plan end to end on the demo (issue #14, "Done when"): a qualified
applicant enrols in a training class, the office ticks the register, builds a
test centre, a room and a sitting, allocates seats, locks, issues tickets; the
ticket PDF, rendered to PNG, carries a QR code that decodes to a token the
proctor's 360-px door page accepts, and a forged token is refused.

The door's own cases (reused tokens, other rooms, late entry) are in
tests/exams/test_door.py and tests/e2e/test_door_browser.py."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, ViewportSize, expect

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.exams.models import (
    AdmissionTicket,
    Attendance,
    SeatAssignment,
    TrainingAttendance,
    TrainingClass,
    TrainingSession,
)
from gongkao.exams.tickets import read_token
from gongkao.organizations.models import ExamOffice
from gongkao.review.demo import seed_demo_applications
from tests.conftest import IN_WINDOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 360, "height": 740}
OFFICE_PC: ViewportSize = {"width": 1366, "height": 768}
BEFORE_EXAMS = "2025-06-09 10:00 +0800"
AT_THE_DOOR = "2025-06-14 08:45 +0800"


def _log_in(page: Page, base: str, login: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"exam-plan-{name}.png", full_page=True)


def test_qualified_applicant_from_training_to_the_door(
    demo, live_server, page: Page, screenshot_dir: Path, tmp_path: Path
):
    with time_machine.travel(IN_WINDOW, tick=False):
        seed_demo_applications(20)
    campaign = Campaign.objects.get(year=2025, division__code="410800")
    office = ExamOffice.objects.get(name="焦作市工考办")
    application = (
        Application.objects.filter(campaign=campaign, status=Status.QUALIFIED)
        .select_related("applicant")
        .order_by("pk")
        .first()
    )
    assert application is not None and application.level is not None
    candidate = application.applicant
    candidate_login = "139" + f"{int(candidate.username.rsplit('-', 1)[1]):08d}"
    klass = TrainingClass.objects.create(
        campaign=campaign,
        office=office,
        name="各等级考前培训班",
        start_date="2025-05-10",
        end_date="2025-05-11",
        place="焦作市职业技术学院",
        capacity=40,
    )
    TrainingSession.objects.create(
        training_class=klass, date="2025-05-10", start_time="08:30", topic="考前辅导"
    )
    base = live_server.url

    with time_machine.travel(BEFORE_EXAMS, tick=True):
        # The applicant enrols in the class on their phone.
        page.set_viewport_size(PHONE)
        _log_in(page, base, candidate_login)
        page.get_by_role("link", name="培训").first.click()
        page.locator("li", has_text="各等级考前培训班").get_by_role(
            "button", name="报名"
        ).click()
        expect(page.locator("main")).to_contain_text("已报名")
        _shot(page, screenshot_dir, "enrolled-360")

        # The office ticks the register.
        page.set_viewport_size(OFFICE_PC)
        _log_in(page, base, "13800000001")  # 王敏, 焦作市工考办管理员
        page.get_by_role("link", name="考试编排").click()
        expect(page.locator("main")).to_contain_text("编排全市考生")
        page.get_by_role("link", name="培训班和考勤").click()
        page.get_by_role("link", name="各等级考前培训班").click()
        page.get_by_label(candidate.name).check()
        page.get_by_role("button", name="保存考勤").click()
        expect(page.locator("main")).to_contain_text("到课1人")
        assert TrainingAttendance.objects.get().present

        # The centre, a room, a sitting.
        page.get_by_role("link", name="返回培训班列表").click()
        page.goto(f"{base}/office/{_assignment_pk(office)}/exam-plan/")
        page.get_by_text("新增考点").click()
        page.get_by_label("考点名称").fill("焦作市职业技术学院考点")
        page.get_by_label("地址").fill("焦作市山阳区新园路")
        page.get_by_role("button", name="添加考点").click()
        expect(page.locator("main")).to_contain_text("已添加考点")
        page.get_by_text("新增考场").click()
        page.get_by_label("考点", exact=True).select_option(
            label="焦作市职业技术学院考点"
        )
        page.get_by_label("考场号").fill("01")
        page.get_by_label("座位数").fill("30")
        page.get_by_label("备用座位").fill("2")
        page.get_by_role("button", name="添加考场").click()
        expect(page.locator("main")).to_contain_text("已添加考场")
        page.get_by_text("新增场次").click()
        page.get_by_label("场次名称").fill("第一场")
        page.get_by_label("日期").fill("2025-06-14")
        page.get_by_label("开考时间").fill("09:00")
        level = application.get_level_display()
        for subject in campaign.subjects.filter(level=application.level):
            page.get_by_label(f"{level} {subject.name}", exact=True).check()
        page.get_by_label("焦作市职业技术学院考点 第01考场").check()
        page.get_by_role("button", name="添加场次").click()
        expect(page.locator("main")).to_contain_text("已添加场次")

        # Allocate, lock, the printing window, tickets out.
        page.get_by_role("button", name="编排座位").click()
        expect(page.locator("main")).to_contain_text("已编排座位")
        seat = SeatAssignment.objects.get(application=application)
        _shot(page, screenshot_dir, "allocated")
        page.get_by_text("锁定编排（发放准考证前）").click()
        page.get_by_role("button", name="确认锁定").click()
        expect(page.locator("main")).to_contain_text("考试编排已锁定")
        page.get_by_label("准考证打印开始").fill("2025-06-07T16:00")
        page.get_by_label("准考证打印截止").fill("2025-06-14T16:00")
        page.get_by_role("button", name="保存打印时间").click()
        page.get_by_role("button", name="发放准考证并短信通知").click()
        expect(page.locator("main")).to_contain_text("张准考证")
        ticket = AdmissionTicket.objects.get(application=application)
        _shot(page, screenshot_dir, "tickets-issued")

        # A proctor on duty in the room.
        page.get_by_role("link", name="焦作市职业技术学院考点 第01考场").click()
        proctor = User.objects.get(
            role_assignments__role=Role.PROCTOR, name__startswith="马丽"
        )
        page.get_by_label("安排监考").select_option(str(proctor.pk))
        page.get_by_role("button", name="安排", exact=True).click()
        expect(page.locator("main")).to_contain_text(f"已安排{proctor.name}监考")

        # The candidate prints the ticket; its QR code is read off the page.
        page.set_viewport_size(PHONE)
        _log_in(page, base, candidate_login)
        page.get_by_role("link", name="准考证").first.click()
        expect(page.locator("main")).to_contain_text(ticket.number)
        href = page.get_by_role("link", name="打印准考证（PDF）").get_attribute("href")
        response = page.request.get(f"{base}{href}")
        assert response.ok and response.headers["content-type"] == "application/pdf"
        (tmp_path / "ticket.pdf").write_bytes(response.body())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile"]
        + [str(tmp_path / "ticket.pdf"), str(tmp_path / "ticket")],
        check=True,
    )
    shutil.copy(tmp_path / "ticket.png", screenshot_dir / "exam-plan-ticket-pdf.png")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "ticket.pdf"), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert candidate.name in text and ticket.number in text and "考生须知" in text
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "ticket.png"))
    assert len(codes) == 1
    token = codes[0].text
    assert read_token(token) == (ticket.pk, ticket.version)

    with time_machine.travel(AT_THE_DOOR, tick=True):
        _log_in(page, base, "13800000071")  # 马丽, the proctor
        page.get_by_role("link", name="我的监考安排（入场核验）").click()
        page.get_by_role("link", name="第01考场").first.click()
        field = page.get_by_label("扫描准考证二维码，或输入准考证号、身份证号")
        field.fill(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
        page.get_by_role("button", name="核验").click()
        expect(page.locator("#candidate")).to_contain_text("不是本系统签发")
        _shot(page, screenshot_dir, "door-forged-360")
        field.fill(token)
        page.get_by_role("button", name="核验").click()
        expect(page.locator("#candidate")).to_contain_text(candidate.name)
        expect(page.locator("#candidate")).to_contain_text(f"{seat.number}号座位")
        expect(page.locator("#candidate img")).to_have_count(1)
        _shot(page, screenshot_dir, "door-found-360")
        page.get_by_role("button", name="确认到场").click()
        expect(page.locator("main")).to_contain_text("已登记到场")
        assert Attendance.objects.filter(seat=seat).exists()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 0
        _shot(page, screenshot_dir, "door-admitted-360")


def _assignment_pk(office: ExamOffice) -> int:
    user = User.objects.get(name__startswith="王敏")
    return int(user.role_assignments.get(office=office).pk)

"""A sitting in Chromium (issue #16): one candidate answers and submits; the
other loses the network while answering, comes back, is moved to a spare
seat by the proctor and finishes; scores are shown at the end; the proctor
records an irregularity and pauses the room."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import Browser, Page, ViewportSize, expect

from gongkao.accounts.models import Role
from gongkao.cbt.models import Answer, Attempt, IrregularityCategory
from gongkao.exams.checkin import starts_at
from gongkao.questions import papers
from gongkao.questions.models import Question
from tests import factories
from tests.cbt.conftest import ticket_of
from tests.questions.conftest import world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gk-cbt-2025!x"
SCREEN: ViewportSize = {"width": 1366, "height": 768}
SMALL: ViewportSize = {"width": 1024, "height": 768}


def _exam_login(page: Page, url: str, seat) -> None:
    page.goto(f"{url}/cbt/")
    page.get_by_label("准考证号").fill(ticket_of(seat).number)
    page.get_by_label("公民身份号码").fill(seat.application.applicant.id_number)
    page.get_by_role("button", name="登录").click()


def _answer_all(page: Page, count: int) -> None:
    for n in range(count):
        page.locator("#question .cbt-option input").first.check()
        expect(page.locator("#saved")).to_contain_text("已保存")
        if n < count - 1:
            page.get_by_role("button", name="下一题").click()


def test_a_sitting_with_two_candidates(
    live_server,
    browser: Browser,
    screenshot_dir,
    world,  # noqa: F811
    city_office,
):
    papers.build_papers(world.sitting, by=None)
    for n, seat in enumerate(world.seats[:2], start=1):
        factories.AdmissionTicketFactory.create(
            application=seat.application, number=f"TICKET{n:010d}"
        )
    room = world.seats[0].room
    proctor = factories.staff(
        Role.PROCTOR, office=city_office, name="马丽", phone="13800000071"
    )
    proctor.set_password(PASSWORD)
    proctor.save()
    duty = factories.ProctorAssignmentFactory.create(
        sitting=world.sitting, room=room, user=proctor
    )
    IrregularityCategory.objects.create(
        code="t-1", act="旁窥、交头接耳", voids="subject"
    )
    first, second = world.seats[0], world.seats[1]
    url = live_server.url

    with time_machine.travel(
        starts_at(world.sitting) - timedelta(minutes=10), tick=True
    ) as clock:
        one = browser.new_context(viewport=SCREEN).new_page()
        _exam_login(one, url, first)
        expect(one.locator("#confirm")).to_contain_text(
            first.application.applicant.name
        )
        one.screenshot(path=screenshot_dir / "cbt-confirm.png", full_page=True)
        one.get_by_role("button", name="信息无误，进入候考").click()
        expect(one.locator("#waiting")).to_be_visible()

        two_context = browser.new_context(viewport=SMALL)
        two = two_context.new_page()
        _exam_login(two, url, second)
        two.get_by_role("button", name="信息无误，进入候考").click()

        console = browser.new_context(viewport=SCREEN).new_page()
        console.goto(f"{url}/accounts/login/")
        console.get_by_label("手机号或公民身份号码").fill("13800000071")
        console.get_by_label("密码").fill(PASSWORD)
        console.get_by_role("button", name="登录").click()
        console.goto(f"{url}/proctor/{duty.pk}/console/")
        console.get_by_role("button", name="发出开考信号").click()
        expect(console.locator("main")).to_contain_text("已发出开考信号")

        expect(one.locator("#answering")).to_be_visible(timeout=10000)
        expect(one.locator("#timer")).to_contain_text("剩余时间")
        one.screenshot(path=screenshot_dir / "cbt-question.png", full_page=True)
        n_items = Attempt.objects.get(seat=first, order=1).n_items
        _answer_all(one, n_items)

        # The second candidate loses the network while answering.
        expect(two.locator("#answering")).to_be_visible(timeout=10000)
        two.locator("#question .cbt-option input").first.check()
        expect(two.locator("#saved")).to_contain_text("已保存")
        two_context.set_offline(True)
        two.get_by_role("button", name="下一题").click()
        two.locator("#question .cbt-option input").first.check()
        expect(two.locator("#net")).to_be_visible()
        two.screenshot(path=screenshot_dir / "cbt-offline.png", full_page=True)
        two_context.set_offline(False)
        expect(two.locator("#net")).to_be_hidden(timeout=10000)
        expect(two.locator("#saved")).to_contain_text("已保存")
        attempt_two = Attempt.objects.get(seat=second, order=1)
        assert Answer.objects.filter(attempt=attempt_two).count() == 2

        # Its PC fails: the proctor authorises the spare seat.
        console.reload()
        row = console.locator(f"#seat-{second.number}")
        row.locator("summary", has_text="更多").click()
        row.get_by_label("备用机位号").fill("备用01")
        row.get_by_role("button", name="授权换机").click()
        expect(console.locator("main")).to_contain_text("已授权")
        two_context.close()
        spare = browser.new_context(viewport=SCREEN).new_page()
        _exam_login(spare, url, second)
        spare.get_by_role("button", name="信息无误，进入候考").click()
        expect(spare.locator("#answering")).to_be_visible(timeout=10000)
        expect(spare.locator("#navigator")).to_contain_text("已答2题")

        def submit(page: Page) -> None:
            page.get_by_role("button", name="交卷").click()
            expect(page.locator("#submit-text")).to_be_visible()
            page.get_by_role("button", name="确认交卷").click()

        clock.shift(timedelta(minutes=35))
        # A reload changes nothing but the time, which is the server's.
        for page in (one, spare):
            page.reload()
            expect(page.locator("#timer")).to_contain_text("剩余时间 2")
        submit(one)
        submit(spare)
        expect(one.locator("#subject")).to_have_text("岗位技能", timeout=10000)
        _answer_all(one, Attempt.objects.get(seat=first, order=2).n_items)
        expect(spare.locator("#subject")).to_have_text("岗位技能", timeout=10000)
        _answer_all(spare, 1)
        clock.shift(timedelta(minutes=31))
        for page in (one, spare):
            page.reload()
            expect(page.locator("#answering")).to_be_visible()
        submit(one)
        submit(spare)
        expect(one.locator("#finished")).to_be_visible(timeout=10000)
        expect(one.locator("#scores")).to_contain_text("合格")
        one.screenshot(path=screenshot_dir / "cbt-finished.png", full_page=True)
        expect(spare.locator("#finished")).to_be_visible(timeout=10000)

        console.reload()
        row = console.locator(f"#seat-{first.number}")
        row.locator("summary", has_text="更多").click()
        row.locator("select[name=category]").select_option(
            label="旁窥、交头接耳（该科目成绩无效）"
        )
        row.get_by_label("情况说明").fill("与邻座交谈")
        row.get_by_role("button", name="记录").click()
        expect(console.locator("main")).to_contain_text("已记录")
        console.locator("summary", has_text="全场暂停").click()
        console.get_by_role("button", name="确认全场暂停").click()
        expect(console.locator("main")).to_contain_text("全场已暂停")
        console.screenshot(path=screenshot_dir / "cbt-console.png", full_page=True)


def test_practice_on_a_phone(live_server, page: Page, screenshot_dir, world):  # noqa: F811
    Question.objects.filter(subject="ethics").update(public=True)
    applicant = world.seats[0].application.applicant
    applicant.set_password(PASSWORD)
    applicant.save()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(applicant.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="模拟练习").click()
    page.get_by_role("button", name="信息无误，进入候考").click()
    expect(page.locator("#answering")).to_be_visible(timeout=10000)
    page.locator("#question .cbt-option input").first.check()
    expect(page.locator("#saved")).to_contain_text("已保存")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(path=screenshot_dir / "cbt-practice-360.png", full_page=True)
    page.get_by_role("button", name="交卷").click()
    page.get_by_role("button", name="确认交卷").click()
    expect(page.locator("#finished")).to_contain_text("满分")

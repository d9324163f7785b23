"""Results in the browser (issue #18, "Done when"): the office releases a
sitting's scores; a candidate reads them and asks a re-check, answered in
time; the office publishes who passed; a member of the public objects and the
office answers; after the period the pass notices are printed (the PDF is
rendered to PNG and looked at)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import Browser, Page, ViewportSize, expect

from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.results.models import Objection, Recheck, SubjectScore
from tests.pdfs import first_page_png, text_of
from tests.results.conftest import Past, past  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PC: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 360, "height": 740}


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _account(user, phone: str) -> str:
    user.set_phone(phone)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return phone


def _login(browser: Browser, url: str, login: str, viewport: ViewportSize = PC) -> Page:
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def _results(browser: Browser, url: str, login: str) -> Page:
    page = _login(browser, url, login)
    page.get_by_role("link", name="成绩与合格人员").click()
    page.wait_for_load_state()
    return page


def test_results_end_to_end(live_server, browser: Browser, past: Past, screenshot_dir):  # noqa: F811
    url = live_server.url
    admin_login = _account(past.admin, "13700000001")
    failed = past.seats[1].application.applicant
    failed_login = _account(failed, "13700000002")

    # Release: the office's page shows the sitting, unreleased.
    with time_machine.travel(_at("2025-06-20 10:00+08:00"), tick=True):
        office = _login(browser, url, admin_login)
        office.get_by_role("link", name="成绩与合格人员").click()
        expect(office.locator("main")).to_contain_text("未发布")
        office.get_by_role("button", name="发布成绩").click()
        expect(office.locator(".messages")).to_contain_text("成绩已发布，共8个科目成绩")
        expect(office.locator("main")).to_contain_text("考核合格")
        office.screenshot(path=screenshot_dir / "results-overview.png", full_page=True)

    # The candidate who failed 岗位技能 asks a re-check on their phone.
    with time_machine.travel(_at("2025-06-23 09:00+08:00"), tick=True):
        mine = _login(browser, url, failed_login, PHONE)
        mine.get_by_role("link", name="我的成绩").click()
        expect(mine.locator("main")).to_contain_text("不合格")
        row = mine.get_by_role("row").filter(has_text="岗位技能")
        row.get_by_text("申请复查（2025年6月27日截止）").click()
        row.get_by_label("申请理由").fill("我记得岗位技能全部作答了，请核对。")
        row.get_by_role("button", name="提交复查申请").click()
        expect(mine.locator(".messages")).to_contain_text(
            "已提交岗位技能的成绩复查申请"
        )
        mine.screenshot(path=screenshot_dir / "results-mine.png", full_page=True)

    # The office answers within its 7 working days.
    with time_machine.travel(_at("2025-06-25 15:00+08:00"), tick=True):
        # Days later: the sessions have expired, so each step logs in again.
        office = _results(browser, url, admin_login)
        office.get_by_role("link", name="成绩复查").first.click()
        expect(office.locator("main")).to_contain_text("待答复")
        office.get_by_role("link", name="复查并答复").click()
        expect(office.locator("main")).to_contain_text("按作答记录重新计算")
        office.get_by_label("复查说明").fill("经核对作答记录，该科目未作答，成绩无误。")
        office.get_by_role("button", name="答复考生").click()
        expect(office.locator(".messages")).to_contain_text("复查已答复")
    recheck = Recheck.objects.get()
    assert recheck.outcome == Recheck.Outcome.UNCHANGED
    assert (
        recheck.answered_at is not None and recheck.answered_at.date() <= recheck.due_on
    )
    with time_machine.travel(_at("2025-06-25 16:00+08:00"), tick=True):
        mine = _login(browser, url, failed_login, PHONE)
        mine.get_by_role("link", name="我的成绩").click()
        expect(mine.locator("main")).to_contain_text("经复查，成绩无误")

    # Publication, then an objection from the public, answered.
    with time_machine.travel(_at("2025-11-14 10:00+08:00"), tick=True):
        office = _results(browser, url, admin_login)
        office.get_by_role("link", name="合格人员公示").first.click()
        expect(office.locator("main")).to_contain_text("待公示的合格人员（1人）")
        office.get_by_role("button", name="发布公示").click()
        expect(office.locator(".messages")).to_contain_text("公示期至2025-11-21")
        public = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
        public.goto(f"{url}/")
        public.get_by_role("link", name="合格人员公示").click()
        public.locator("main a").first.click()
        passer = past.seats[0].application.applicant.name
        expect(public.locator("main")).to_contain_text(passer)
        public.screenshot(path=screenshot_dir / "results-publicity.png", full_page=True)
        public.get_by_role("link", name="提出异议").click()
        public.get_by_label("异议内容").fill("据了解该同志考核期间长期病休。")
        public.get_by_label("联系人姓名").fill("王先生")
        public.get_by_label("联系电话").fill("13912345678")
        public.get_by_role("button", name="提交异议").click()
        expect(public.locator(".messages")).to_contain_text("异议已收到")
    with time_machine.travel(_at("2025-11-17 16:00+08:00"), tick=True):
        office = _results(browser, url, admin_login)
        office.locator("main a", has_text="合格人员公示").last.click()
        expect(office.locator("main")).to_contain_text("待答复异议")
        office.get_by_label("调查处理意见").fill(
            "经向单位核实，该同志正常在岗，异议不成立。"
        )
        office.get_by_role("button", name="答复异议").click()
        expect(office.locator(".messages")).to_contain_text("异议已答复")
        expect(office.locator("main")).to_contain_text("公示期满且异议全部答复后")
    objection = Objection.objects.get()
    assert objection.upheld is False

    # After the period: the pass notices.
    with time_machine.travel(_at("2025-11-24 09:00+08:00"), tick=True):
        office = _results(browser, url, admin_login)
        office.locator("main a", has_text="合格人员公示").last.click()
        office.screenshot(
            path=screenshot_dir / "results-publication.png", full_page=True
        )
        link = office.get_by_role("link", name="合格人员通知（全部单位，PDF）")
        pdf = office.request.get(f"{url}{link.get_attribute('href')}")
        assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    path = screenshot_dir / "results-notice.pdf"
    path.write_bytes(pdf.body())
    assert first_page_png(path).stat().st_size > 10_000
    text = text_of(path)
    assert past.seats[0].application.applicant.name in text
    assert failed.name not in text
    assert SubjectScore.objects.count() == 8

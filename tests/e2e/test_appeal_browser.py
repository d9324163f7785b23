"""Issue 11, point 8 in the browser: 张建国, found not qualified, asks for a
复核 on his phone with a reason and a PDF; the city office answers on its PC;
he reads the answer. Screenshots: test-output/screenshots/appeal-*.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Unit
from tests.factories import PDF, fill_level4_application, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
PC = {"width": 1366, "height": 768}


def _log_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".role-nav")).to_be_visible()


def test_appeal_filed_and_answered(
    demo, live_server, browser, screenshot_dir, tmp_path
):
    base = live_server.url
    pdf = tmp_path / "proof.pdf"
    pdf.write_bytes(PDF)
    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        applicant = find_user_by_phone("13800000021")
        clerk = find_user_by_phone("13800000011")
        assert applicant is not None and clerk is not None
        application = fill_level4_application(
            applicant,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        upload_all(application, applicant)
        services.submit_application(application, by=applicant)
        services.transition(
            application, Status.NOT_QUALIFIED, by=clerk, note="不符合条件"
        )

        phone = browser.new_page(viewport=PHONE, locale="zh-CN")
        _log_in(phone, base, "13800000021")
        phone.goto(f"{base}/apply/status/")
        expect(phone.locator("dl.facts")).to_contain_text("申请复核")
        phone.get_by_role("link", name="申请复核 / 查看复核").click()
        expect(phone.locator("dl.facts")).to_contain_text("2025年3月27日前")
        phone.get_by_label("复核理由").fill(
            "我的五级证书是2015年6月取得的，附证书复印件。"
        )
        phone.get_by_label("补充材料（可选，PDF或图片）").set_input_files(str(pdf))
        phone.screenshot(path=screenshot_dir / "appeal-01-form-360.png", full_page=True)
        phone.get_by_role("button", name="提交复核申请").click()
        expect(phone.locator(".message.success")).to_contain_text("复核申请已提交")
        expect(phone.locator("dl.facts").last).to_contain_text("2025年4月3日前答复")

        office = browser.new_page(viewport=PC, locale="zh-CN")
        _log_in(office, base, "13800000002")
        office.get_by_role("link", name="复核申请").click()
        row = office.locator("tr", has_text="张建国")
        row.get_by_label("复核结论").select_option("overturned")
        row.get_by_label("答复意见").fill("证书日期核实无误，撤销原结论，重新审查。")
        office.screenshot(
            path=screenshot_dir / "appeal-02-office-1366.png", full_page=True
        )
        row.get_by_role("button", name="答复").click()
        expect(office.locator(".message.success")).to_contain_text("已答复")

        phone.reload()
        expect(phone.locator("dl.facts").last).to_contain_text("撤销原结论，重新审查")
        assert (
            phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            <= 0
        )
        phone.screenshot(
            path=screenshot_dir / "appeal-03-answer-360.png", full_page=True
        )
        application.refresh_from_db()
        assert application.status == Status.QUALIFICATION_REVIEW

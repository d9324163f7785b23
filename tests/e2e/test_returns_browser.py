"""Issue 11, point 2, in the browser: the unit clerk returns 2.2.4.3 (业绩) of
张建国's level-2 application; on a phone the applicant sees what to fix (not
"可以提交"), finds 个人信息 locked, adds an honour, uploads its scan and the
业绩 material and resubmits; the clerk sees the change beside the item.
Screenshots: test-output/screenshots/returns-*.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Unit
from tests.factories import PDF, fill_level2_application, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1366, "height": 768}


def _log_in(page: Page, base: str, phone: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(phone)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _no_overflow(page: Page) -> None:
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    )


def test_return_of_performance_fixed_and_resubmitted(
    demo, live_server, browser, screenshot_dir, tmp_path
):
    base = live_server.url
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(PDF)
    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        user = find_user_by_phone("13800000021")
        assert user is not None
        application = fill_level2_application(
            user,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        upload_all(application, user)
        assert services.submit_application(application, by=user)

        clerk = browser.new_page(viewport=WIDE, locale="zh-CN")
        _log_in(clerk, base, "13800000011")
        clerk.goto(f"{base}/")
        clerk.get_by_role("link", name="本单位申报审核").click()
        clerk.locator("td.wide-only a", has_text="审核").first.click()
        for radio in clerk.locator("input[type=radio][value=ok]").all():
            radio.check()
        row = clerk.locator("tr", has_text="2.2.4.3")
        row.locator("input[value=return]").check()
        row.locator("input[type=text]").fill("请补充技术革新、传授技艺等业绩材料")
        clerk.get_by_role("button", name="提交审核结论").click()
        expect(clerk.locator(".message.success")).to_contain_text("已退回")

        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        _log_in(page, base, "13800000021")
        page.goto(f"{base}/apply/")
        returned = page.locator("#returned-items")
        expect(returned).to_contain_text("请补充技术革新、传授技艺等业绩材料")
        expect(returned).to_contain_text("待修改")
        expect(page.locator("main")).not_to_contain_text("可以提交")
        _no_overflow(page)
        page.screenshot(
            path=screenshot_dir / "returns-overview-360.png", full_page=True
        )

        # Locked: the basic profile has no form to send.
        page.goto(f"{base}/apply/basic/")
        expect(page.get_by_role("button", name="保存，下一步")).to_have_count(0)

        page.goto(f"{base}/apply/honors/")
        page.locator("summary", has_text="添加荣誉").click()
        page.get_by_label("荣誉类别").select_option("competition")
        page.get_by_label("级别").select_option("city")
        page.get_by_label("荣誉名称").fill("焦作市职业技能竞赛二等奖")
        page.get_by_label("授予单位").fill("焦作市人力资源和社会保障局")
        page.get_by_label("获得时间").fill("2023-10-01")
        page.get_by_label("竞赛名次").fill("2")
        page.get_by_role("button", name="添加荣誉").click()
        expect(page.locator(".message.success")).to_contain_text("已添加")

        page.goto(f"{base}/apply/materials/")
        for slot in ("honor", "performance"):
            item = page.locator(f"[id^='slot-{slot}']").first
            item.locator("input[type=file]").set_input_files(pdf)
            item.get_by_role("button", name="上传", exact=True).click()
            expect(page.locator(".message.success")).to_contain_text("已上传")
        # Not returned: the work record keeps its submitted file, no upload.
        expect(page.locator("#slot-work_record input[type=file]")).to_have_count(0)
        _no_overflow(page)
        page.screenshot(
            path=screenshot_dir / "returns-materials-360.png", full_page=True
        )

        page.goto(f"{base}/apply/check/")
        expect(page.locator(".returned-items")).to_contain_text("已修改")
        page.screenshot(path=screenshot_dir / "returns-check-360.png", full_page=True)
        page.get_by_role("button", name="重新提交").click()
        expect(page.locator(".facts")).to_contain_text("单位审核中")

        clerk.goto(f"{base}/")
        clerk.get_by_role("link", name="本单位申报审核").click()
        clerk.locator("td.wide-only a", has_text="审核").first.click()
        answered = clerk.locator("#answered-return")
        expect(answered).to_contain_text("请补充技术革新、传授技艺等业绩材料")
        expect(answered).to_contain_text("已修改")
        expect(answered).to_contain_text("工作业绩材料")
        clerk.screenshot(
            path=screenshot_dir / "returns-reviewer-1366.png", full_page=True
        )

    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.UNIT_REVIEW and application.round == 2

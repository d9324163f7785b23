"""A new applicant registers, fills in and submits on a phone; the unit clerk
returns it; the applicant fixes the returned item and resubmits (issue 4's
walk-through).
Screenshots of every page go to test-output/screenshots/apply-*.png."""

from __future__ import annotations

import re

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from tests.factories import PDF, jpeg, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def _log_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def _no_overflow(page: Page) -> None:
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    )


def test_apply_return_fix_resubmit(
    demo, live_server, browser, screenshot_dir, tmp_path, sms_outbox
):
    shot = 0

    def snap(page: Page, name: str) -> None:
        nonlocal shot
        shot += 1
        _no_overflow(page)
        page.screenshot(
            path=screenshot_dir / f"apply-{shot:02d}-{name}.png", full_page=True
        )

    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(PDF)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg(300, 420))
    base = live_server.url
    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        # A new applicant registers under their real name on a phone.
        applicant = browser.new_page(viewport=PHONE, locale="zh-CN")
        applicant.goto(f"{base}/accounts/login/")
        applicant.get_by_role("link", name="没有账号？实名注册").click()
        applicant.get_by_label("姓名").fill("王建华")
        applicant.get_by_label("公民身份号码").fill(make_id_number("19720315", seq=41))
        applicant.get_by_label("手机号").fill("13955550041")
        applicant.get_by_role("button", name="获取验证码").click()
        expect(applicant.locator("#code-status")).to_contain_text("验证码已发送")
        code = re.search(r"验证码为(\d{6})", sms_outbox[-1][1]).group(1)
        applicant.get_by_label("短信验证码").fill(code)
        applicant.get_by_label("密码", exact=True).fill("Xin-mima-2025")
        applicant.get_by_label("再次输入密码").fill("Xin-mima-2025")
        applicant.get_by_label("本人承诺").check()
        snap(applicant, "register")
        applicant.get_by_role("button", name="注册", exact=True).click()
        expect(applicant.locator(".messages")).to_contain_text("注册成功")
        applicant.get_by_role("link", name="我的申报").click()
        snap(applicant, "overview")

        applicant.goto(f"{base}/apply/basic/")
        # The employer is a search: typing lists matching units to pick from.
        applicant.get_by_label("工作单位").fill("市第一中")
        applicant.get_by_label("焦作市第一中学").check()
        applicant.get_by_label("用工性质").select_option("formal")
        applicant.get_by_label("参加工作时间").fill("2008-07-01")
        applicant.get_by_label("转正定级时间").fill("2009-07-01")
        applicant.get_by_label("最高文化程度").select_option("high_school")
        applicant.get_by_label("本人声明").check()
        snap(applicant, "basic")
        applicant.get_by_role("button", name="保存，下一步").click()

        expect(applicant.locator("h2").first).to_contain_text("等级证书")
        applicant.get_by_label("等级").select_option("5")
        applicant.get_by_label("工种").fill("电工")
        applicant.get_by_label("发证日期").fill("2015-06-01")
        applicant.get_by_label("证书编号").fill("GQ2015-001")
        applicant.get_by_role("button", name="添加这张证书").click()
        expect(applicant.locator(".items")).to_contain_text("五级（初级工） 电工")
        snap(applicant, "certificates")
        applicant.get_by_role("link", name="下一步").click()

        snap(applicant, "annual-reviews")
        applicant.get_by_role("button", name="保存，下一步").click()
        snap(applicant, "honors")
        applicant.get_by_role("link", name="下一步").click()

        applicant.get_by_label("申报等级").select_option("4")
        applicant.get_by_label("申报工种").select_option(label="电工（电力电气类）")
        applicant.get_by_label("本人已了解单位岗位空缺情况").check()
        snap(applicant, "application")
        applicant.get_by_role("button", name="保存，下一步").click()

        expect(applicant.locator("h2").first).to_contain_text("上传申报材料")
        for slot in ["id_card", "photo", "education", "work_record", "certificate"]:
            item = applicant.locator(f"[id^='slot-{slot}']").first
            item.locator("input[type=file]").set_input_files(
                photo if slot == "photo" else pdf
            )
            item.get_by_role("button", name="上传", exact=True).click()
            expect(applicant.locator(".message.success")).to_contain_text("已上传")
        snap(applicant, "materials")
        applicant.get_by_role("link", name="下一步：自查提交").click()

        expect(applicant.locator(".verdict")).to_contain_text("符合申报条件")
        applicant.get_by_label("本人承诺").check()
        snap(applicant, "check")
        applicant.get_by_role("button", name="提交申报").click()
        expect(applicant.locator("h1")).to_contain_text("申报进度")
        expect(applicant.locator(".facts")).to_contain_text("单位审核中")
        snap(applicant, "status-submitted")

        clerk = browser.new_page(
            viewport={"width": 1366, "height": 768}, locale="zh-CN"
        )
        _log_in(clerk, base, "13800000011")
        clerk.get_by_role("link", name="本单位申报审核").click()
        clerk.locator("td.wide-only a", has_text="审核").first.click()
        _tick_all_ok(clerk)
        row = clerk.locator("tr", has_text="近期免冠证件照")
        row.locator("input[value=return]").check()
        row.locator("select").select_option(label="照片不合格")
        row.locator("input[type=text]").fill("照片背景不是白色，请重新拍摄上传")
        clerk.screenshot(path=screenshot_dir / "apply-clerk-review.png", full_page=True)
        clerk.get_by_role("button", name="提交审核结论").click()
        expect(clerk.locator(".message.success")).to_contain_text("已退回")

        applicant.goto(f"{base}/apply/materials/")
        expect(applicant.locator("#slot-photo")).to_contain_text("照片背景不是白色")
        snap(applicant, "materials-returned")
        applicant.locator("#slot-photo input[type=file]").set_input_files(photo)
        applicant.locator("#slot-photo").get_by_role(
            "button", name="上传", exact=True
        ).click()
        expect(applicant.locator(".message.success")).to_contain_text("第2版")
        applicant.goto(f"{base}/apply/check/")
        applicant.get_by_role("button", name="重新提交").click()
        expect(applicant.locator(".facts")).to_contain_text("单位审核中")
        snap(applicant, "status-resubmitted")

    application = Application.objects.get(applicant__name="王建华")
    assert application.status == Status.UNIT_REVIEW
    assert application.round == 2
    assert list(application.status_changes.values_list("to_status", flat=True)) == [
        "unit_review",
        "returned",
        "unit_review",
    ]


def _tick_all_ok(page: Page) -> None:
    """Mark every item of the review page 符合/同意 (a person's explicit choice)."""
    for radio in page.locator("input[type=radio][value=ok]").all():
        radio.check()

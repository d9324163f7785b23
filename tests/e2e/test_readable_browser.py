"""Issue 11, point 3, as people see it: a submitted applicant's locked profile
on a phone reads in labels and fits the screen; the unit clerk's queue on a
phone shows the action of each row without scrolling sideways.
Screenshots: test-output/screenshots/readable-*.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Unit
from tests.factories import fill_level4_application, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def _log_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".role-nav")).to_be_visible()


def _overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    )


def test_locked_profile_and_phone_queue(demo, live_server, browser, screenshot_dir):
    base = live_server.url
    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        user = find_user_by_phone("13800000021")
        assert user is not None
        application = fill_level4_application(
            user,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        upload_all(application, user)
        services.submit_application(application, by=user)

        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        _log_in(page, base, "13800000021")
        page.goto(f"{base}/apply/basic/")
        facts = page.locator("dl.facts").last
        expect(facts).to_contain_text("焦作市第一中学")
        expect(facts).to_contain_text("在岗正式工作人员")
        expect(facts).to_contain_text("男职工（原法定退休年龄60周岁）")
        expect(facts).to_contain_text("2008年7月1日")
        for code in ("formal", "male_60", "False", "high_school"):
            expect(facts).not_to_contain_text(code)
        assert _overflow(page) <= 0
        page.screenshot(
            path=screenshot_dir / "readable-locked-profile-360.png", full_page=True
        )

        page.goto(f"{base}/apply/honors/")
        expect(page.locator(".error-text")).to_have_count(0)

        clerk = browser.new_page(viewport=PHONE, locale="zh-CN")
        _log_in(clerk, base, "13800000011")
        clerk.get_by_role("link", name="本单位申报审核").click()
        action = clerk.locator("a.phone-only", has_text="审核").first
        expect(action).to_be_visible()
        box = action.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"]
        clerk.screenshot(path=screenshot_dir / "readable-queue-360.png", full_page=True)
        action.click()
        expect(clerk.locator("h1")).to_contain_text(application.applicant.name)

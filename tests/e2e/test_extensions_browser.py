"""Issue 11, point 7: the office grants 张建国 two extensions in a row; both
stay on the page; the date picker starts tomorrow.
Screenshot: test-output/screenshots/extensions-1366.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications.models import RegistrationExtension
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.core.models import Notification
from gongkao.organizations.models import Unit
from tests.factories import fill_level4_application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PC = {"width": 1366, "height": 768}


def test_two_extensions_stay_on_record(demo, live_server, browser, screenshot_dir):
    with time_machine.travel("2025-04-03 10:00 +0800", tick=True):
        applicant = find_user_by_phone("13800000021")
        assert applicant is not None
        fill_level4_application(
            applicant,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        page = browser.new_page(viewport=PC, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号或公民身份号码").fill("13800000001")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("link", name="报名延期").first.click()
        page.get_by_label("申报人姓名").fill("张建国")
        page.get_by_role("button", name="查询").click()
        row = page.locator("tr", has_text="张建国")
        # The date picker offers no day before tomorrow (the server refuses one too).
        expect(row.get_by_label("允许提交至")).to_have_attribute("min", "2025-04-04")
        for until, reason in [
            ("2025-04-05", "住院"),
            ("2025-04-09", "仍在住院"),
        ]:
            row.get_by_label("允许提交至").fill(until)
            row.get_by_label("延期原因").fill(reason)
            row.get_by_role("button", name="允许").click()
        expect(row).to_contain_text("2025年4月5日")
        expect(row.locator("strong")).to_have_text("2025年4月9日")
        assert RegistrationExtension.objects.count() == 2
        assert (
            Notification.objects.filter(user=applicant, title="报名延期获准").count()
            == 2
        )
        page.screenshot(path=screenshot_dir / "extensions-1366.png", full_page=True)

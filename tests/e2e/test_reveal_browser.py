"""Issue 11, point 6, in the browser: the unit clerk presses 显示 beside the
masked ID number on a phone; htmx puts the full number in place (audited).
Screenshot: test-output/screenshots/reveal-clerk-360.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.core.models import AuditEvent
from gongkao.organizations.models import Unit
from tests.factories import fill_level4_application, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def test_clerk_reveals_the_id_number(demo, live_server, browser, screenshot_dir):
    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        applicant = find_user_by_phone("13800000021")
        assert applicant is not None
        application = fill_level4_application(
            applicant,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        upload_all(application, applicant)
        services.submit_application(application, by=applicant)

        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号或公民身份号码").fill("13800000011")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("link", name="本单位申报审核").click()
        page.locator("a.phone-only").first.click()
        facts = page.locator("dl.facts").first
        expect(facts).not_to_contain_text(applicant.id_number)
        page.get_by_role("button", name="显示完整公民身份号码").click()
        expect(facts).to_contain_text(f"完整公民身份号码：{applicant.id_number}")
        expect(facts).not_to_contain_text(applicant.phone)
        assert (
            AuditEvent.objects.filter(action=AuditEvent.Action.NUMBER_REVEALED).count()
            == 1
        )
        assert (
            page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            <= 0
        )
        page.screenshot(path=screenshot_dir / "reveal-clerk-360.png")

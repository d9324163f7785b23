"""Issue 11, point 4, on a phone: 张建国's application waits for the on-site
check; the status page says what to bring, where (the office's address) and by
when. Screenshot: test-output/screenshots/next-step-onsite-360.png."""

from __future__ import annotations

import pytest
import time_machine
from playwright.sync_api import expect

from gongkao.accounts.services import find_user_by_phone
from gongkao.applications import services
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Unit
from tests.factories import Reviewers, advance, fill_level4_application, upload_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def test_onsite_check_next_step_on_a_phone(demo, live_server, browser, screenshot_dir):
    def user(phone: str):
        found = find_user_by_phone(phone)
        assert found is not None
        return found

    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        applicant = user("13800000021")
        application = fill_level4_application(
            applicant,
            unit=Unit.objects.get(name="焦作市第一中学"),
            campaign=Campaign.objects.get(division__code="410800"),
        )
        upload_all(application, applicant)
        services.submit_application(application, by=applicant)
        reviewers = Reviewers(
            user("13800000011"), user("13800000012"), user("13800000002")
        )
        advance(application, Status.ONSITE_CHECK, reviewers, onsite_required=True)
        application.refresh_from_db()
        assert application.status == Status.ONSITE_CHECK

        page = browser.new_page(viewport=PHONE, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号或公民身份号码").fill("13800000021")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(f"{live_server.url}/apply/status/")
        facts = page.locator("dl.facts")
        expect(facts).to_contain_text("现场审查确认")
        expect(facts).to_contain_text("居民身份证")
        expect(facts).to_contain_text("焦作市人力资源和社会保障局")
        expect(facts).to_contain_text("120元")
        expect(facts).to_contain_text("2025年4月11日")
        assert (
            page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            <= 0
        )
        page.screenshot(
            path=screenshot_dir / "next-step-onsite-360.png", full_page=True
        )

"""Two cities and two years in the browser (issue #10): each office, clerk and
applicant sees only their own city; 2025 stays intact after 2026 opens and the
applicant's past application is read-only."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gongkao.applications import services
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import Unit
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OFFICE_PC = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}


def _log_in(page: Page, base: str, login: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def two_cities(demo):
    """One submitted application in each city, made in the 2025 window."""
    import time_machine

    made = {}
    with time_machine.travel("2025-03-20 10:00 +0800", tick=False):
        for name, unit in [("焦作甲", "焦作市第一中学"), ("新乡乙", "新乡市第一中学")]:
            unit_obj = Unit.objects.get(name=unit)
            campaign = Campaign.objects.get(division=unit_obj.division)
            applicant = factories.ApplicantFactory.create(name=name)
            made[name] = factories.submitted_application(
                applicant, unit=unit_obj, campaign=campaign
            )
    return made


def test_each_office_and_clerk_sees_only_its_city(
    two_cities, live_server, page, screenshot_dir
):
    page.set_viewport_size(OFFICE_PC)
    for login, mine, foreign, shot in [
        ("13800000011", "焦作甲", "新乡乙", "clerk-jiaozuo"),
        ("13800000041", "新乡乙", "焦作甲", "clerk-xinxiang"),
    ]:
        _log_in(page, live_server.url, login)
        page.get_by_role("link", name="本单位申报审核").first.click()
        expect(page.locator("main")).to_contain_text(mine)
        expect(page.locator("main")).not_to_contain_text(foreign)
        page.screenshot(path=screenshot_dir / f"cities-{shot}.png", full_page=True)
    for login, city in [("13800000002", "焦作市"), ("13800000032", "新乡市")]:
        _log_in(page, live_server.url, login)
        page.get_by_role("link", name="审查进度").first.click()
        page.get_by_role("link", name="全市汇总").click()
        expect(page.locator("h1")).to_contain_text(f"{city}审查进度")
        expect(page.locator(".stats")).to_contain_text("1")
        page.screenshot(path=screenshot_dir / f"cities-dashboard-{city}.png")
    _log_in(page, live_server.url, "13800000061")
    page.get_by_role("link", name="审查进度").first.click()
    expect(page.locator("main")).to_contain_text("各市汇总（只读）")
    page.screenshot(path=screenshot_dir / "cities-dashboard-province.png")


def test_2025_stays_after_2026_opens_and_is_read_only_for_the_applicant(
    two_cities, live_server, page, screenshot_dir
):
    import time_machine

    old = two_cities["焦作甲"]
    jiaozuo = old.campaign
    factories.CampaignFactory.create(
        year=2026, division=jiaozuo.division, policy_id=jiaozuo.policy_id
    )
    applicant = old.applicant
    applicant.set_phone("13700000001")
    applicant.set_password(DEMO_PASSWORD)
    applicant.save()
    services.profile_for(applicant)
    with time_machine.travel(date(2026, 3, 20), tick=True):
        page.set_viewport_size(PHONE)
        _log_in(page, live_server.url, "13700000001")
        page.get_by_role("link", name="往年申报").click()
        expect(page.locator("main")).to_contain_text("2025年焦作市")
        page.get_by_role("link", name="查看").click()
        expect(page.locator("main")).to_contain_text("只能查看，不能修改")
        expect(page.locator("main")).to_contain_text("单位审核中")
        page.screenshot(
            path=screenshot_dir / "cities-past-application.png", full_page=True
        )
        # The office's queue opens on 2026; choosing 2025 shows the file.
        page.set_viewport_size(OFFICE_PC)
        _log_in(page, live_server.url, "13800000011")
        page.get_by_role("link", name="本单位申报审核").first.click()
        # The picker submits from a deferred script: choose only once it ran.
        page.wait_for_url("**/review/*/")
        page.wait_for_load_state("load")
        expect(page.locator("main")).not_to_contain_text("焦作甲")
        page.get_by_label("年度考务").select_option(label=jiaozuo.name)
        page.wait_for_url(f"**campaign={jiaozuo.pk}*")
        expect(page.locator("main")).to_contain_text("焦作甲")
        page.screenshot(path=screenshot_dir / "cities-year-picker.png", full_page=True)

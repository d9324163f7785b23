"""An office administrator of the demo copies the shipped policy, edits it in
the textarea (a bad value first: the field is named, nothing saved), runs a
what-if over the demo's 2025 applications and exports the flips.
Screenshots: test-output/screenshots/policies-*.png and whatif-*.png."""

from __future__ import annotations

from io import BytesIO

import pytest
import time_machine
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.policies.models import StoredPolicy
from gongkao.review.demo import seed_demo_applications
from gongkao.whatif.models import WhatIfRun
from tests.conftest import IN_WINDOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE_PC = {"width": 1366, "height": 768}


def _log_in(page: Page, base: str, login: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_office_admin_copies_a_policy_and_runs_a_whatif(
    demo, live_server, page, screenshot_dir
):
    with time_machine.travel(IN_WINDOW, tick=False):
        seed_demo_applications(20)  # submitted in the 2025 window
    page.set_viewport_size(OFFICE_PC)
    _log_in(page, live_server.url, "13800000001")  # 王敏, 焦作市工考办管理员
    page.get_by_role("link", name="资格条件政策").click()
    expect(page.locator("h1")).to_contain_text("资格条件政策")
    page.screenshot(path=screenshot_dir / "policies-list.png", full_page=True)

    page.locator("tr", has_text="2025-jiaozuo").get_by_role(
        "link", name="复制并修改"
    ).click()
    textarea = page.get_by_label("政策文件（TOML）")
    text = textarea.input_value()
    assert 'policy_id = "2025-jiaozuo-copy"' in text
    textarea.fill(text.replace("years_at_level = 5", 'years_at_level = "五"'))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("thresholds.years_at_level")
    expect(page.get_by_role("alert")).to_contain_text("须为整数")
    page.screenshot(path=screenshot_dir / "policies-errors.png", full_page=True)
    assert StoredPolicy.objects.count() == 0

    # Stricter: 30 years at the level below and 40 years of work.
    stricter = (
        text.replace("years_at_level = 5", "years_at_level = 30")
        .replace("level4_work_years = 10", "level4_work_years = 40")
        .replace("level3_work_years = 18", "level3_work_years = 40")
    )
    page.get_by_label("政策文件（TOML）").fill(stricter)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("已保存新政策 2025-jiaozuo-copy")

    page.get_by_role("link", name="政策试算").click()
    page.get_by_label("试算政策").select_option("2025-jiaozuo-copy")
    page.get_by_label("年度考务").select_option(index=1)
    page.get_by_role("button", name="开始试算").click()
    expect(page.locator("#whatif-result")).to_contain_text("符合 → 不符合")
    run = WhatIfRun.objects.get()
    assert run.total > 0 and run.lost > 0
    expect(page.locator("#whatif-result")).to_contain_text(run.flips[0]["name"])
    page.screenshot(path=screenshot_dir / "whatif-result.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    sheet = load_workbook(BytesIO(download.value.path().read_bytes()))["变化名单"]
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert {flip["name"] for flip in run.flips} <= names

"""Every demo account logs in through the real login page in headless Chromium
and lands on its home page; a screenshot of each is kept in test-output/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gongkao.campaigns.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
OFFICE_PC = {"width": 1366, "height": 768}
HEADINGS = {
    "system_admin": "系统管理员",
    "office_admin": "工考办管理员",
    "office_reviewer": "工考办审查人员",
    "unit_clerk": "单位经办人",
    "department_reviewer": "主管部门审核人",
    "applicant": "申报人",
    "proctor": "监考人员",
    "question_bank": "题库管理人员",
    "expert": "评审专家",
}


def _log_in(page: Page, base: str, login: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.parametrize(
    "account", DEMO_ACCOUNTS, ids=lambda a: f"{a.role.value}-{a.login}"
)
@pytest.mark.parametrize("viewport", [PHONE, OFFICE_PC], ids=["phone", "pc"])
def test_demo_account_reaches_its_home(
    demo, live_server, page, screenshot_dir, account, viewport
):
    page.set_viewport_size(viewport)
    _log_in(page, live_server.url, account.login)
    expect(page.locator("h1").first).to_contain_text(HEADINGS[account.role.value])
    # Nothing is wider than the screen on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    scope = account.scope or account.login
    page.screenshot(
        path=screenshot_dir
        / f"home-{account.role.value}-{scope}-{viewport['width']}.png",
        full_page=True,
    )


def test_wrong_password_then_lockout_page(demo, live_server, page, screenshot_dir):
    page.set_viewport_size(PHONE)
    for _ in range(5):
        _log_in(page, live_server.url, "13800000021", "wrong-password")
    expect(page.get_by_role("alert").first).to_be_visible()
    _log_in(page, live_server.url, "13800000021")
    # The login page again, saying until when (a fixed time).
    alert = page.get_by_role("alert").first
    expect(alert).to_contain_text("账号已暂时锁定")
    expect(alert).to_contain_text("后再试")
    page.screenshot(path=screenshot_dir / "login-locked.png", full_page=True)


def test_catalogue_search_filters_live(demo, live_server, page, screenshot_dir):
    page.set_viewport_size(OFFICE_PC)
    _log_in(page, live_server.url, "13800000001")
    page.goto(f"{live_server.url}/catalogue/job-types/")
    page.get_by_label("工种名称或代码").fill("烹调")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("中式烹调师")
    page.screenshot(path=screenshot_dir / "catalogue-search.png", full_page=True)


def test_catalogue_export_shows_progress_then_download(
    demo, live_server, page, screenshot_dir
):
    """htmx swaps the progress bar in; the export (run by the immediate backend in
    the live server) is done at once, so the bar offers its download."""
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, "13800000001")
    page.goto(f"{live_server.url}/catalogue/job-types/")
    page.get_by_role("button", name="导出 CSV").click()
    progress = page.locator(".job-progress")
    expect(progress).to_contain_text("已完成 — 下载")
    assert page.url.endswith(
        f"?job={progress.get_attribute('id').removeprefix('job-')}"
    )
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    )
    page.screenshot(path=screenshot_dir / "catalogue-export-done.png", full_page=True)
    with page.expect_download() as download:
        progress.get_by_role("link", name="下载").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert not [m for m in console if "Content Security Policy" in m]


@pytest.mark.parametrize("viewport", [PHONE, OFFICE_PC], ids=["phone", "pc"])
def test_office_admin_registers_an_exam_room_network(
    demo, live_server, page, screenshot_dir, viewport
):
    page.set_viewport_size(viewport)
    _log_in(page, live_server.url, "13800000001")  # 王敏, 市工考办管理员
    page.get_by_role("link", name="考场网络地址").click()
    page.get_by_label("地址段").fill("10.12.3.8/24")
    page.get_by_label("说明").fill("焦作一中考点3号机房")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("table")).to_contain_text("10.12.3.0/24")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.screenshot(
        path=screenshot_dir / f"trusted-networks-{viewport['width']}.png",
        full_page=True,
    )

"""A new applicant registers on a 360-px phone, with and without JavaScript.

The live server runs in a thread of this process, so the SMS "sent" by
LogSmsSender lands in the same outbox the test reads.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gongkao.accounts.models import Role, User
from tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
PASSWORD = "Xin-mima-2025"


def _overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    )


def _last_code(sms_outbox: list[tuple[str, str]]) -> str:
    match = re.search(r"验证码为(\d{6})", sms_outbox[-1][1])
    assert match
    return match.group(1)


def _fill_person(page: Page, id_number: str, phone: str) -> None:
    page.get_by_label("姓名").fill("张桂芳")
    page.get_by_label("公民身份号码").fill(id_number)
    page.get_by_label("手机号").fill(phone)


def _fill_passwords(page: Page) -> None:
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)


def test_applicant_registers_on_a_phone(live_server, page, screenshot_dir, sms_outbox):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.screenshot(path=screenshot_dir / "login-360.png", full_page=True)
    page.get_by_role("link", name="没有账号？实名注册").click()
    expect(page.locator("h1")).to_contain_text("实名注册")
    assert _overflow(page) <= 0
    page.screenshot(path=screenshot_dir / "register-empty-360.png", full_page=True)

    id_number = make_id_number("19700708", seq=31, sex="F")
    _fill_person(page, id_number, "13955550021")
    _fill_passwords(page)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-status")).to_contain_text(
        "验证码已发送至139****0021，10分钟内有效"
    )
    # htmx swapped only the status line: the passwords typed are still there.
    expect(page.get_by_label("再次输入密码")).to_have_value(PASSWORD)
    code = _last_code(sms_outbox)

    # Forgetting the pledge: the page comes back with an error, values kept.
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".pledge .error-text")).to_have_text("请阅读并勾选真实性承诺。")
    expect(page.get_by_label("公民身份号码")).to_have_value(id_number)
    expect(page.get_by_label("短信验证码")).to_have_value(code)
    assert _overflow(page) <= 0
    page.screenshot(path=screenshot_dir / "register-error-360.png", full_page=True)

    _fill_passwords(page)
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator("h1").first).to_contain_text("申报人")
    expect(page.locator(".messages")).to_contain_text("注册成功")
    expect(page.locator("dl.facts")).to_contain_text("1970年7月8日")
    assert _overflow(page) <= 0
    page.screenshot(path=screenshot_dir / "register-done-360.png", full_page=True)
    user = User.objects.get()
    assert user.role_assignments.get().role == Role.APPLICANT
    assert user.pledged_at is not None


def test_duplicate_id_number_shows_masked_phone_and_reset_link(
    live_server, page, screenshot_dir, sms_outbox
):
    id_number = make_id_number("19680101", seq=5)
    holder = User(username="earlier", name="张桂芳")
    holder.set_id_number(id_number)
    holder.set_phone("13800000021")
    holder.save()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/accounts/register/")
    _fill_person(page, id_number, "13955550022")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    page.get_by_label("短信验证码").fill(_last_code(sms_outbox))
    _fill_passwords(page)
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator(".recover")).to_contain_text("138****0021")
    assert _overflow(page) <= 0
    page.screenshot(path=screenshot_dir / "register-duplicate-360.png", full_page=True)
    page.get_by_role("link", name="通过短信验证码重置密码").click()
    expect(page.locator("h1")).to_contain_text("重置密码")


def test_get_code_works_without_javascript(
    live_server, browser, screenshot_dir, sms_outbox
):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/register/")
    _fill_person(page, make_id_number("19720202", seq=7), "13955550023")
    page.get_by_role("button", name="获取验证码").click()

    expect(page.locator("#code-status")).to_contain_text("验证码已发送至139****0023")
    expect(page.get_by_label("姓名")).to_have_value("张桂芳")
    page.screenshot(path=screenshot_dir / "register-nojs-code-360.png", full_page=True)
    page.get_by_label("短信验证码").fill(_last_code(sms_outbox))
    _fill_passwords(page)
    page.get_by_label("本人承诺").check()
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page.locator("h1").first).to_contain_text("申报人")
    context.close()

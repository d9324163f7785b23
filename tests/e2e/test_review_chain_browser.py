"""A county unit's application goes through unit, department and county-office
review with a return and resubmission, then the batch: rosters, signed scans,
the department's stamp, on-site check and fee, to qualified. Another unit's
application goes to the city office. Screenshots: test-output/screenshots/chain-*.png."""

from __future__ import annotations

from typing import cast

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone, issue_staff_account
from gongkao.applications import services
from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.organizations.models import Jurisdiction, Unit
from gongkao.review import services as review
from gongkao.review.models import Batch, ReviewStep
from tests.factories import (
    PDF,
    UserFactory,
    fill_level4_application,
    jpeg,
    make_id_number,
    upload_all,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PC = {"width": 1366, "height": 768}
PASSWORD = "Secret-pass-123"


def _log_in(page: Page, base: str, login: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".role-nav")).to_be_visible()


def _applicant(unit_name: str, username: str, phone: str):
    user = cast(
        User, UserFactory(username=username, name=f"申报人{username}", phone=phone)
    )
    user.set_id_number(make_id_number("19800101", seq=int(phone[-2:])))
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.APPLICANT)
    application = fill_level4_application(user, unit=Unit.objects.get(name=unit_name))
    upload_all(application, user)
    services.submit_application(application, by=user)
    application.refresh_from_db()
    return user, application


def test_county_unit_through_the_chain_to_qualified(
    demo, live_server, browser, screenshot_dir, tmp_path
):
    base = live_server.url
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg(300, 420))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(PDF)
    shots = iter(range(1, 100))

    def snap(page: Page, name: str) -> None:
        page.screenshot(
            path=screenshot_dir / f"chain-{next(shots):02d}-{name}.png", full_page=True
        )

    with time_machine.travel("2025-03-20 10:00 +0800", tick=True):
        # 温县 switches the signed rosters on for its units: data, not code.
        Jurisdiction.objects.filter(office__name="温县工考办").update(
            requires_signed_rosters=True
        )
        department_user, _ = issue_staff_account(
            name="温县教育局人事股",
            phone="13800000014",
            role=Role.DEPARTMENT_REVIEWER,
            unit=Unit.objects.get(name="温县教育局"),
            by=find_user_by_phone("13800000003"),
        )
        department_user.set_password(DEMO_PASSWORD)
        department_user.must_change_password = False
        department_user.save()
        applicant, application = _applicant("温县第一高级中学", "wx01", "13700000001")
        _, city_application = _applicant("焦作市第一中学", "jz01", "13700000002")

        def page_for(login: str, password: str = DEMO_PASSWORD) -> Page:
            context = browser.new_context(viewport=PC, locale="zh-CN")
            page = cast(Page, context.new_page())
            _log_in(page, base, login, password)
            return page

        clerk = page_for("13800000013")
        clerk.get_by_role("link", name="本单位申报审核").click()
        snap(clerk, "unit-queue")
        clerk.locator("td.wide-only a", has_text="审核").first.click()
        _tick_all_ok(clerk)
        row = clerk.locator("tr", has_text="近期免冠证件照")
        row.locator("input[value=return]").check()
        row.locator("select").select_option(label="照片不合格")
        row.locator("input[type=text]").fill("请上传近三个月内的证件照")
        snap(clerk, "unit-review-return")
        clerk.get_by_role("button", name="提交审核结论").click()
        expect(clerk.locator(".message.success")).to_contain_text("已退回")

        person = browser.new_context(
            viewport={"width": 360, "height": 740}, locale="zh-CN"
        ).new_page()
        _log_in(person, base, "13700000001", PASSWORD)
        person.goto(f"{base}/apply/materials/")
        person.locator("#slot-photo input[type=file]").set_input_files(photo)
        person.locator("#slot-photo").get_by_role(
            "button", name="上传", exact=True
        ).click()
        # The upload's page must be back before the next one is asked for.
        expect(person.locator(".message.success")).to_contain_text("已上传")
        person.goto(f"{base}/apply/check/")
        person.get_by_role("button", name="重新提交").click()
        expect(person.locator(".message.success")).to_be_visible()
        expect(person.locator(".facts")).to_contain_text("单位审核中")

        clerk.goto(f"{base}/")
        clerk.get_by_role("link", name="本单位申报审核").click()
        clerk.locator("td.wide-only a", has_text="审核").first.click()
        _tick_all_ok(clerk)
        clerk.get_by_role("button", name="提交审核结论").click()
        expect(clerk.locator(".message.success")).to_contain_text("主管部门审核中")

        department = page_for("13800000014")
        department.get_by_role("link", name="所属单位申报审核").click()
        department.locator("td.wide-only a", has_text="审核").first.click()
        _tick_all_ok(department)
        department.get_by_role("button", name="提交审核结论").click()
        expect(department.locator(".message.success")).to_contain_text("资格审查中")

        office = page_for("13800000004")
        office.get_by_role("link", name="资格审查").first.click()
        snap(office, "office-queue")
        office.locator("td.wide-only a", has_text="审核").first.click()
        office.get_by_label("需现场审查原件").check()
        snap(office, "office-review")
        _tick_all_ok(office)
        office.get_by_role("button", name="提交审核结论").click()
        expect(office.locator(".message.success")).to_contain_text("待现场审查确认")

        clerk.goto(f"{base}/")
        clerk.get_by_role("link", name="名册表与名单报送").click()
        expect(clerk.locator("h1")).to_contain_text("温县第一高级中学")
        batch = Batch.objects.get(unit__name="温县第一高级中学")
        for kind in ("passed", "onsite"):
            response = clerk.request.get(
                f"{base}/batches/{clerk_assignment(clerk)}/{batch.pk}/roster-{kind}.pdf"
            )
            assert response.ok and response.body().startswith(b"%PDF")
            (screenshot_dir / f"chain-roster-{kind}.pdf").write_bytes(response.body())
        clerk.reload()
        clerk.get_by_role("button", name="确认已打印名册表，开始签字盖章").click()
        expect(clerk.locator(".message.success")).to_contain_text("已确认打印名册表")
        for label in ("网上资格审查通过人员名册表", "需现场审查人员名册表"):
            clerk.get_by_label("名册表").select_option(label=label)
            clerk.locator("#scan-file").set_input_files(scan)
            clerk.get_by_role("button", name="上传", exact=True).click()
            expect(clerk.locator(".message.success")).to_contain_text("已上传")
        snap(clerk, "batch-unit")

        department.goto(f"{base}/")
        department.get_by_role("link", name="名册表盖章").click()
        department.get_by_role("link", name="办理").first.click()
        department.get_by_role("button", name="确认已审核盖章").click()
        expect(department.locator(".message.success")).to_contain_text("盖章")

        office.goto(f"{base}/")
        office.get_by_role("link", name="现场审查确认").click()
        office.locator("tr", has_text="温县第一高级中学").get_by_role(
            "link", name="办理"
        ).click()
        office.get_by_role("link", name="现场审查").click()
        office.get_by_placeholder("原件名称，如：四级证书原件").fill("五级证书原件")
        office.get_by_placeholder("交件人").fill("周丽")
        office.get_by_role("button", name="登记接收").click()
        office.get_by_label("金额（元）").fill("0")
        office.get_by_label("票据号").fill("WX2025-0001")
        office.get_by_role("button", name="登记缴费").click()
        # Nothing is ticked for the reviewer: each original and the verdict.
        expect(office.locator("input[name=qualified]:checked")).to_have_count(0)
        for box in office.locator("input[name=seen]").all():
            box.check()
        office.get_by_label("审查通过").check()
        snap(office, "onsite")
        office.get_by_role("button", name="确认结论").click()
        expect(office.locator(".message.success")).to_contain_text("已作出现场审查结论")
        # The original is still held: closing is refused and names whose.
        office.get_by_label("本批次收费合计（元）").fill("0")
        office.get_by_role("button", name="完成现场审查确认并办结").click()
        expect(office.locator(".message.error")).to_contain_text(
            f"{applicant.name}（五级证书原件）"
        )
        snap(office, "close-refused")
        # The concluded applicant stays reachable: the original goes back.
        office.get_by_role("link", name="查看（原件未退还）").click()
        office.get_by_placeholder("退还给（姓名）").fill("周丽")
        office.get_by_role("button", name="退还").click()
        office.get_by_role("link", name="返回批次").click()
        office.get_by_label("本批次收费合计（元）").fill("0")
        office.get_by_role("button", name="完成现场审查确认并办结").click()
        expect(office.locator(".message.success")).to_contain_text("办结")
        snap(office, "batch-closed")

        # The city-direct unit's application is the city office's, not 温县's.
        review.record_review(
            city_application,
            step=ReviewStep.UNIT,
            by=find_user_by_phone("13800000011"),
            checks=review.approve_all_items(city_application, ReviewStep.UNIT),
        )
        review.record_review(
            city_application,
            step=ReviewStep.DEPARTMENT,
            by=find_user_by_phone("13800000012"),
            checks=review.approve_all_items(city_application, ReviewStep.DEPARTMENT),
        )
        office.goto(f"{base}/")
        office.get_by_role("link", name="资格审查").first.click()
        expect(office.locator("table")).not_to_contain_text("申报人jz01")
        city = page_for("13800000002")
        city.get_by_role("link", name="资格审查").first.click()
        expect(city.locator("table")).to_contain_text("申报人jz01")
        snap(city, "city-queue")
        city.goto(f"{base}/")
        city.get_by_role("link", name="审查进度").click()
        expect(city.locator("h1")).to_contain_text("审查进度")
        snap(city, "city-dashboard")
        city.get_by_role("link", name="全市汇总").click()
        expect(city.locator("h1")).to_contain_text("焦作市审查进度")
        snap(city, "city-dashboard-citywide")
        city.goto(f"{base}/")
        city.get_by_role("link", name="审查进度").click()
        city.get_by_role("link", name="单位通报").click()
        expect(city.locator("h1")).to_contain_text("通报")
        snap(city, "circular")

    application.refresh_from_db()
    assert application.status == Status.QUALIFIED
    assert Batch.objects.get(unit__name="温县第一高级中学").state == Batch.State.CLOSED
    assert (
        Application.objects.get(pk=city_application.pk).status
        == Status.QUALIFICATION_REVIEW
    )


def clerk_assignment(page: Page) -> str:
    """The assignment id in the clerk's batch URL (/batches/<assignment>/<batch>/)."""
    return page.url.rstrip("/").split("/")[-2]


def _tick_all_ok(page: Page) -> None:
    """Mark every item of the review page 符合/同意 (a person's explicit choice)."""
    for radio in page.locator("input[type=radio][value=ok]").all():
        radio.check()

"""Question-bank staff in the browser (issue #15): a file with errors is
refused with every row named, a good one imported; a blueprint is saved; the
papers of a sitting are built and one is rebuilt from its seed identically."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongkao.applications.states import Status
from gongkao.questions.models import Paper, Question
from tests import factories
from tests.questions.test_exchange import HEAD, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gk-bank-2025!x"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(job_type: str) -> list[list[object]]:
    """5 single, 3 true/false and 2 multiple of each of 职业道德 and 岗位技能."""
    rows: list[list[object]] = []
    for subject, job in (("职业道德", ""), ("岗位技能", job_type)):
        for n in range(5):
            rows.append(
                [
                    "单选",
                    subject,
                    "四级",
                    job,
                    f"{subject}单选第{n}题",
                    "甲",
                    "乙",
                    "丙",
                    "丁",
                    "",
                    "B",
                ]
            )
        for n in range(3):
            rows.append(
                [
                    "判断",
                    subject,
                    "4",
                    job,
                    f"{subject}判断第{n}题",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "对",
                ]
            )
        for n in range(2):
            rows.append(
                [
                    "多选",
                    subject,
                    "4",
                    job,
                    f"{subject}多选第{n}题",
                    "甲",
                    "乙",
                    "丙",
                    "",
                    "",
                    "A、C",
                ]
            )
    return rows


def test_bank_staff_import_a_bank_build_a_blueprint_and_the_papers(
    live_server, page: Page, screenshot_dir, campaign, school, city_office
):
    job_type = factories.JobTypeFactory.create(electrician=True)
    sitting = factories.SittingFactory.create(
        campaign=campaign,
        name="第一场",
        date=timezone.localdate() + timedelta(days=7),
        start_time=time(9, 0),
    )
    subjects = [
        factories.SubjectFactory.create(
            campaign=campaign, level=4, code="ethics", name="职业道德"
        ),
        factories.SubjectFactory.create(
            campaign=campaign, level=4, code="skill", name="岗位技能", per_job_type=True
        ),
    ]
    sitting.subjects.set(subjects)
    room = factories.RoomFactory.create(
        centre__campaign=campaign, centre__office=city_office
    )
    sitting.rooms.add(room)
    for n in range(3):
        application = factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=4,
            unit=school,
            job_type=job_type,
        )
        factories.SeatAssignmentFactory.create(
            application=application, sitting=sitting, room=room, number=n + 1
        )
    staff = factories.question_bank_staff(city_office, name="孙静", phone="13800000081")
    staff.set_password(PASSWORD)
    staff.save()

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill("13800000081")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="题库", exact=True).click()

    good = _rows(job_type.name)
    bad = [list(r) for r in good[:3]]
    bad[1][10] = "AB"  # single choice with two answers
    bad[2][0] = "问答"
    page.get_by_label("题库文件").set_input_files(
        {"name": "有错的题库.xlsx", "mimeType": XLSX, "buffer": xlsx(HEAD, *bad)}
    )
    page.get_by_role("button", name="上传并导入").click()
    errors = page.locator("table.import-errors")
    expect(errors).to_contain_text("第3行")
    expect(errors).to_contain_text("单选题只能有一个答案")
    expect(errors).to_contain_text("第4行")
    expect(page.locator("main")).to_contain_text("未导入任何试题")
    page.screenshot(path=screenshot_dir / "bank-import-refused.png", full_page=True)
    assert not Question.objects.exists()

    page.get_by_label("题库文件").set_input_files(
        {"name": "题库.xlsx", "mimeType": XLSX, "buffer": xlsx(HEAD, *good)}
    )
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator("main")).to_contain_text("已导入20道试题")
    page.screenshot(path=screenshot_dir / "bank-list.png", full_page=True)

    page.get_by_role("link", name="组卷规则").first.click()
    for subject in ("职业道德", "岗位技能"):
        page.locator("tr", has_text=subject).get_by_role("link", name="制定").click()
        page.get_by_label("判断每题分值").fill("10")
        page.get_by_label("单选每题分值").fill("10")
        page.get_by_label("多选每题分值").fill("20")
        for i, (kind, count) in enumerate(
            (("judge", "2"), ("single", "4"), ("multiple", "2"))
        ):
            page.locator(f"select[name='rows-{i}-kind']").select_option(kind)
            page.locator(f"input[name='rows-{i}-count']").fill(count)
        page.get_by_role("button", name="保存组卷规则").click()
        expect(page.locator("main")).to_contain_text("可以组卷")
        if subject == "岗位技能":
            page.screenshot(path=screenshot_dir / "bank-blueprint.png", full_page=True)
        page.get_by_role("link", name="组卷规则").first.click()

    page.get_by_role("link", name="考前组卷").first.click()
    page.get_by_role("button", name="生成本场次试卷").click()
    expect(page.locator(".job-progress")).to_contain_text("已完成")
    assert Paper.objects.count() == 6
    page.reload()
    page.screenshot(path=screenshot_dir / "bank-sittings.png", full_page=True)
    page.get_by_role("link", name="四级（中级工） 职业道德").click()
    page.get_by_role("button", name="按种子重建并核验全部试卷").click()
    expect(page.locator("main")).to_contain_text("3份试卷全部与按种子重建的结果一致")
    page.locator("table a").first.click()
    page.get_by_role("button", name="按种子重建核验").click()
    expect(page.locator("main")).to_contain_text("完全一致")
    page.screenshot(path=screenshot_dir / "bank-paper.png", full_page=True)

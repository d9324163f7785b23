"""The whole cycle for one applicant (issue #19, "Done when"), from the
real-name registration to the certificate on their next-year application,
on the seeded demo, each step by the person who does it.

Driven in the browser (Chromium):
- 2025-03-20: the applicant registers (实名注册, the SMS code read from the
  log sender's outbox), fills in the application at 焦作市第一中学 and
  submits it; the school's clerk (刘芳), the department (陈刚) and the city
  office (李强) review it; the clerk prints the rosters and uploads the signed
  scans, the department stamps, the office checks the originals on site,
  records the fee and closes the batch: qualified.
- 2025-06-09: the office (王敏) adds a test centre, a room and a sitting,
  allocates the seats, locks the plan, opens the ticket window, issues the
  tickets and puts a proctor (马丽) on duty; the province's bank staff (孙静)
  build the sitting's papers; the applicant opens the admission ticket.
- 2025-06-14: the proctor admits the candidate at the door and gives the
  start signal on the console; the candidate logs in at the exam screen with
  ticket and ID number, answers each level-4 subject and submits it, and sees
  the result.
- 2025-06-16: the office releases the sitting (成绩与合格人员 → 发布成绩);
  the candidate reads the scores.
- 2025-06-30: the office publishes who passed (合格人员公示 → 发布公示), a
  visitor sees the applicant on the public list.
- after the 5 working days: the office issues the certificates (等级证书 →
  颁发).
- 2026-03-20: the holder, logged in under 焦作市's 2026 campaign, sees the
  certificate on the 等级证书 step of the new application (考核系统颁发).

Set up in code: the demo itself (`demo`), the level-4 subjects' small question
pools (two single-choice questions each, in the province's bank) and
blueprints (one question worth 100 points), so that the candidate answers one
question per subject; and 焦作市's 2026 campaign (CampaignFactory), which no
page of the system opens. Screenshots: test-output/screenshots/cycle-NN-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.certificates.models import Certificate
from gongkao.exams import seating
from gongkao.exams.models import AdmissionTicket, Sitting
from gongkao.questions import queries as bank_queries
from gongkao.results.models import Publication, SubjectScore
from gongkao.review.models import Batch
from tests import factories
from tests.e2e.test_review_chain_browser import _tick_all_ok, clerk_assignment
from tests.factories import PDF, jpeg, make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 740}
PC: ViewportSize = {"width": 1366, "height": 768}
NAME = "赵振华"
ID_NUMBER = make_id_number("19720315", seq=57)
LOGIN = "13955550057"
PASSWORD = "Xin-mima-2025"
CLERK, DEPARTMENT, REVIEWER, ADMIN = (
    "13800000011",
    "13800000012",
    "13800000002",
    "13800000001",
)
PROCTOR, BANK = "13800000071", "13800000081"
CENTRE_ROOM = "焦作市职业技术学院考点 第01考场"
SAT_ON = date(2025, 6, 14)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Cycle:
    """The browser contexts of the test and the numbered screenshots."""

    def __init__(self, browser: Browser, base: str, folder: Path) -> None:
        self.browser, self.base, self.folder = browser, base, folder
        self.contexts: list[BrowserContext] = []
        self.shots: Iterator[int] = iter(range(1, 100))

    def page(self, viewport: ViewportSize = PC) -> Page:
        context = self.browser.new_context(viewport=viewport, locale="zh-CN")
        self.contexts.append(context)
        return context.new_page()

    def login(
        self, login: str, password: str = DEMO_PASSWORD, viewport: ViewportSize = PC
    ) -> Page:
        """A fresh context logged in (sessions expire after 8 h of the jumps)."""
        page = self.page(viewport)
        page.goto(f"{self.base}/accounts/login/")
        page.get_by_label("手机号或公民身份号码").fill(login)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page.locator(".role-nav")).to_be_visible()
        return page

    def applicant(self) -> Page:
        return self.login(LOGIN, PASSWORD, PHONE)

    def snap(self, page: Page, stage: str) -> None:
        # The full page is measured once the page and its CJK web font are in.
        page.wait_for_load_state()
        page.evaluate("document.fonts.ready.then(() => null)")
        page.screenshot(
            path=self.folder / f"cycle-{next(self.shots):02d}-{stage}.png",
            full_page=True,
        )

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def test_one_applicant_from_registration_to_next_years_certificate(
    demo,
    live_server,
    browser: Browser,
    screenshot_dir: Path,
    tmp_path: Path,
    sms_outbox,
):
    cycle = Cycle(browser, live_server.url, screenshot_dir)
    base = live_server.url
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(PDF)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg(300, 420))
    campaign = Campaign.objects.get(year=2025, division__code="410800")

    with time_machine.travel(_at("2025-03-20 10:00+08:00"), tick=True):
        _register(cycle, sms_outbox)
        _apply(cycle, pdf, photo)
        _review_chain(cycle, pdf)
        cycle.close()
    application = Application.objects.get(applicant__name=NAME, campaign=campaign)
    assert application.status == Status.QUALIFIED

    _small_exam(campaign, application)
    with time_machine.travel(_at("2025-06-09 10:00+08:00"), tick=True):
        _exam_plan(cycle, application)
        cycle.close()
    ticket = AdmissionTicket.objects.get(application=application)

    with time_machine.travel(_at("2025-06-14 08:45+08:00"), tick=True) as clock:
        _sit_the_exam(cycle, ticket, clock)
        cycle.close()

    with time_machine.travel(_at("2025-06-16 10:00+08:00"), tick=True):
        office = cycle.login(ADMIN)
        office.get_by_role("link", name="成绩与合格人员").click()
        expect(office.locator("main")).to_contain_text("未发布")
        office.get_by_role("button", name="发布成绩").click()
        expect(office.locator(".messages")).to_contain_text("成绩已发布")
        cycle.snap(office, "release")
        mine = cycle.applicant()
        mine.get_by_role("link", name="我的成绩").click()
        expect(mine.locator("h1")).to_have_text("我的成绩")
        expect(mine.locator("main")).to_contain_text("考核结果：合格")
        cycle.snap(mine, "scores")
        cycle.close()
    scores = SubjectScore.objects.filter(application=application)
    assert scores.count() == 3 and all(s.score == 100 for s in scores)

    with time_machine.travel(_at("2025-06-30 10:00+08:00"), tick=True):
        office = cycle.login(ADMIN)
        office.get_by_role("link", name="成绩与合格人员").click()
        expect(office.locator("h1")).to_contain_text("成绩与合格人员")
        office.get_by_role("link", name="合格人员公示").first.click()
        expect(office.locator("main")).to_contain_text("待公示的合格人员（1人）")
        office.get_by_role("button", name="发布公示").click()
        expect(office.locator(".messages")).to_contain_text("公示期至")
        cycle.snap(office, "publication")
        public = cycle.page(PHONE)
        public.goto(f"{base}/")
        public.get_by_role("link", name="合格人员公示").click()
        expect(public.locator("h1")).to_have_text("合格人员公示")
        public.locator("main a").first.click()
        expect(public.locator("main")).to_contain_text(NAME)
        cycle.snap(public, "publication-public")
        cycle.close()
    publication = Publication.objects.get(campaign=campaign)
    # 5 working days from Monday 2025-06-30.
    assert publication.ends_on == date(2025, 7, 7)

    with time_machine.travel(_at("2025-07-09 10:00+08:00"), tick=True):
        office = cycle.login(ADMIN)
        office.get_by_role("link", name="等级证书").click()
        expect(office.locator("main")).to_contain_text("待颁发")
        office.get_by_role("button", name="为全部待颁发人员颁发证书").click()
        expect(office.locator(".messages")).to_contain_text("已颁发1本证书")
        cycle.snap(office, "certificates")
        cycle.close()
    certificate = Certificate.objects.get(application=application)
    # Dated the day the result became final: the end of the publication.
    assert certificate.cert_date == publication.ends_on

    factories.CampaignFactory.create(
        year=2026, division=campaign.division, policy_id=campaign.policy_id
    )
    with time_machine.travel(_at("2026-03-20 10:00+08:00"), tick=True):
        page = cycle.applicant()
        page.goto(f"{base}/apply/certificates/")
        expect(page.locator("main")).to_contain_text(certificate.number)
        expect(page.locator("main")).to_contain_text("考核系统颁发")
        cycle.snap(page, "next-year")
        cycle.close()


def _register(cycle: Cycle, sms_outbox: list[tuple[str, str]]) -> None:
    page = cycle.page(PHONE)
    page.goto(f"{cycle.base}/accounts/login/")
    page.get_by_role("link", name="没有账号？实名注册").click()
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("公民身份号码").fill(ID_NUMBER)
    page.get_by_label("手机号").fill(LOGIN)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#code-status")).to_contain_text("验证码已发送")
    match = re.search(r"验证码为(\d{6})", sms_outbox[-1][1])
    assert match
    page.get_by_label("短信验证码").fill(match.group(1))
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_label("再次输入密码").fill(PASSWORD)
    page.get_by_label("本人承诺").check()
    cycle.snap(page, "register")
    page.get_by_role("button", name="注册", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("注册成功")


def _apply(cycle: Cycle, pdf: Path, photo: Path) -> None:
    page = cycle.applicant()
    page.get_by_role("link", name="我的申报").click()
    page.goto(f"{cycle.base}/apply/basic/")
    page.get_by_label("工作单位").fill("市第一中")
    page.get_by_label("焦作市第一中学").check()
    page.get_by_label("用工性质").select_option("formal")
    page.get_by_label("参加工作时间").fill("2008-07-01")
    page.get_by_label("转正定级时间").fill("2009-07-01")
    page.get_by_label("最高文化程度").select_option("high_school")
    page.get_by_label("本人声明").check()
    page.get_by_role("button", name="保存，下一步").click()

    expect(page.locator("h2").first).to_contain_text("等级证书")
    page.get_by_label("等级").select_option("5")
    page.get_by_label("工种").fill("电工")
    page.get_by_label("发证日期").fill("2015-06-01")
    page.get_by_label("证书编号").fill("GQ2015-057")
    page.get_by_role("button", name="添加这张证书").click()
    expect(page.locator(".items")).to_contain_text("五级（初级工） 电工")
    page.get_by_role("link", name="下一步").click()
    expect(page.locator("h2").first).to_contain_text("年度考核")
    page.get_by_role("button", name="保存，下一步").click()
    expect(page.locator("h2").first).to_contain_text("荣誉")
    page.get_by_role("link", name="下一步").click()
    expect(page.locator("h2").first).to_contain_text("申报等级和工种")
    page.get_by_label("申报等级").select_option("4")
    page.get_by_label("申报工种").select_option(label="电工（电力电气类）")
    page.get_by_label("本人已了解单位岗位空缺情况").check()
    page.get_by_role("button", name="保存，下一步").click()

    expect(page.locator("h2").first).to_contain_text("上传申报材料")
    for slot in ["id_card", "photo", "education", "work_record", "certificate"]:
        item = page.locator(f"[id^='slot-{slot}']").first
        item.locator("input[type=file]").set_input_files(
            photo if slot == "photo" else pdf
        )
        item.get_by_role("button", name="上传", exact=True).click()
        expect(page.locator(".message.success")).to_contain_text("已上传")
    page.get_by_role("link", name="下一步：自查提交").click()

    expect(page.locator(".verdict")).to_contain_text("符合申报条件")
    page.get_by_label("本人承诺").check()
    cycle.snap(page, "application-check")
    page.get_by_role("button", name="提交申报").click()
    expect(page.locator(".facts")).to_contain_text("单位审核中")


def _review_chain(cycle: Cycle, scan: Path) -> None:
    base = cycle.base
    clerk = cycle.login(CLERK)
    clerk.get_by_role("link", name="本单位申报审核").click()
    clerk.locator("td.wide-only a", has_text="审核").first.click()
    expect(clerk.locator("main")).to_contain_text(NAME)
    _tick_all_ok(clerk)
    cycle.snap(clerk, "unit-review")
    clerk.get_by_role("button", name="提交审核结论").click()
    expect(clerk.locator(".message.success")).to_contain_text("主管部门审核中")

    department = cycle.login(DEPARTMENT)
    department.get_by_role("link", name="所属单位申报审核").click()
    department.locator("td.wide-only a", has_text="审核").first.click()
    _tick_all_ok(department)
    department.get_by_role("button", name="提交审核结论").click()
    expect(department.locator(".message.success")).to_contain_text("资格审查中")

    office = cycle.login(REVIEWER)
    office.get_by_role("link", name="资格审查").first.click()
    office.locator("td.wide-only a", has_text="审核").first.click()
    office.get_by_label("需现场审查原件").check()
    _tick_all_ok(office)
    cycle.snap(office, "office-review")
    office.get_by_role("button", name="提交审核结论").click()
    expect(office.locator(".message.success")).to_contain_text("待现场审查确认")

    # The batch: rosters printed and signed, the department's stamp.
    clerk.goto(f"{base}/")
    clerk.get_by_role("link", name="名册表与名单报送").click()
    expect(clerk.locator("h1")).to_contain_text("焦作市第一中学")
    batch = Batch.objects.get(unit__name="焦作市第一中学")
    for kind in ("passed", "onsite"):
        response = clerk.request.get(
            f"{base}/batches/{clerk_assignment(clerk)}/{batch.pk}/roster-{kind}.pdf"
        )
        assert response.ok and response.body().startswith(b"%PDF")
    clerk.reload()
    clerk.get_by_role("button", name="确认已打印名册表，开始签字盖章").click()
    expect(clerk.locator(".message.success")).to_contain_text("已确认打印名册表")
    for label in ("网上资格审查通过人员名册表", "需现场审查人员名册表"):
        clerk.get_by_label("名册表").select_option(label=label)
        clerk.locator("#scan-file").set_input_files(scan)
        clerk.get_by_role("button", name="上传", exact=True).click()
        expect(clerk.locator(".message.success")).to_contain_text("已上传")
    cycle.snap(clerk, "batch-scans")

    department.goto(f"{base}/")
    department.get_by_role("link", name="名册表盖章").click()
    department.get_by_role("link", name="办理").first.click()
    department.get_by_role("button", name="确认已审核盖章").click()
    expect(department.locator(".message.success")).to_contain_text("盖章")

    # On site: originals seen, the fee, qualified; the batch closed.
    office.goto(f"{base}/")
    office.get_by_role("link", name="现场审查确认").click()
    office.locator("tr", has_text="焦作市第一中学").get_by_role(
        "link", name="办理"
    ).click()
    office.get_by_role("link", name="现场审查").click()
    office.get_by_label("金额（元）").fill("120")
    office.get_by_label("票据号").fill("JZ2025-0057")
    office.get_by_role("button", name="登记缴费").click()
    for box in office.locator("input[name=seen]").all():
        box.check()
    office.get_by_label("审查通过").check()
    cycle.snap(office, "onsite")
    office.get_by_role("button", name="确认结论").click()
    expect(office.locator(".message.success")).to_contain_text("已作出现场审查结论")
    office.get_by_label("本批次收费合计（元）").fill("120")
    office.get_by_role("button", name="完成现场审查确认并办结").click()
    expect(office.locator(".message.success")).to_contain_text("办结")
    cycle.snap(office, "batch-closed")


def _small_exam(campaign: Campaign, application: Application) -> None:
    """Level 4's subjects with two questions each in the province's bank and
    blueprints of one 100-point question (the demo's bank is not loaded)."""
    bank = bank_queries.default_bank_office()
    assert bank is not None
    for subject in seating.ensure_subjects(campaign):
        if subject.level != application.level:
            continue
        for n in range(2):
            factories.QuestionFactory.create(
                office=bank,
                subject=subject.code,
                level=subject.level,
                job_type=application.job_type if subject.per_job_type else None,
                stem=f"{subject.name}第{n + 1}题：下列做法正确的是（　）。",
                options=["按规程操作", "凭经验操作", "跳过检查", "无人监护"],
                answer="A",
            )
        factories.blueprint(subject, [("single", 1)], points={"single": Decimal("100")})


def _exam_plan(cycle: Cycle, application: Application) -> None:
    office = cycle.login(ADMIN)
    office.get_by_role("link", name="考试编排").click()
    expect(office.locator("main")).to_contain_text("编排全市考生")
    office.get_by_text("新增考点").click()
    office.get_by_label("考点名称").fill("焦作市职业技术学院考点")
    office.get_by_label("地址").fill("焦作市山阳区新园路")
    office.get_by_role("button", name="添加考点").click()
    expect(office.locator("main")).to_contain_text("已添加考点")
    office.get_by_text("新增考场").click()
    office.get_by_label("考点", exact=True).select_option(
        label="焦作市职业技术学院考点"
    )
    office.get_by_label("考场号").fill("01")
    office.get_by_label("座位数").fill("30")
    office.get_by_label("备用座位").fill("2")
    office.get_by_role("button", name="添加考场").click()
    expect(office.locator("main")).to_contain_text("已添加考场")
    office.get_by_text("新增场次").click()
    office.get_by_label("场次名称").fill("四级人机对话")
    office.get_by_label("日期").fill(SAT_ON.isoformat())
    office.get_by_label("开考时间").fill("09:00")
    for subject in ("岗位技能", "职业道德", "职业能力"):
        office.get_by_label(f"四级（中级工） {subject}", exact=True).check()
    office.get_by_label(CENTRE_ROOM).check()
    office.get_by_role("button", name="添加场次").click()
    expect(office.locator("main")).to_contain_text("已添加场次")
    office.get_by_role("button", name="编排座位").click()
    expect(office.locator("main")).to_contain_text("已编排座位")
    office.get_by_text("锁定编排（发放准考证前）").click()
    office.get_by_role("button", name="确认锁定").click()
    expect(office.locator("main")).to_contain_text("考试编排已锁定")
    office.get_by_label("准考证打印开始").fill("2025-06-07T16:00")
    office.get_by_label("准考证打印截止").fill("2025-06-14T16:00")
    office.get_by_role("button", name="保存打印时间").click()
    office.get_by_role("button", name="发放准考证并短信通知").click()
    expect(office.locator("main")).to_contain_text("张准考证")
    cycle.snap(office, "exam-plan")
    office.get_by_role("link", name=CENTRE_ROOM).click()
    office.get_by_label("安排监考").select_option(label="马丽（监考）")
    office.get_by_role("button", name="安排", exact=True).click()
    expect(office.locator("main")).to_contain_text("已安排马丽（监考）监考")

    # The province's bank staff build the sitting's papers.
    bank = cycle.login(BANK)
    bank.get_by_role("link", name="考前组卷").click()
    expect(bank.locator("h1")).to_contain_text("考前组卷")
    # The province's staff serve every city: 焦作市's campaign.
    picker = bank.locator("select[name=campaign]")
    # The picker submits from a deferred script: choose only once it ran.
    bank.wait_for_load_state("load")
    if picker.input_value() != str(application.campaign_id):
        with bank.expect_navigation():
            picker.select_option(str(application.campaign_id))
    sitting = bank.locator("section.card", has_text="四级人机对话")
    expect(sitting).to_contain_text("可以组卷")
    sitting.get_by_role("button", name="生成本场次试卷").click()
    expect(bank.locator("main")).to_contain_text("已生成的试卷")
    cycle.snap(bank, "papers")

    # The candidate opens the admission ticket.
    mine = cycle.applicant()
    mine.get_by_role("link", name="准考证").first.click()
    ticket = AdmissionTicket.objects.get(application=application)
    expect(mine.locator("main")).to_contain_text(ticket.number)
    cycle.snap(mine, "ticket")


def _sit_the_exam(cycle: Cycle, ticket: AdmissionTicket, clock) -> None:
    base = cycle.base
    proctor = cycle.login(PROCTOR, viewport=PHONE)
    proctor.get_by_role("link", name="我的监考安排（入场核验）").click()
    proctor.get_by_role("link", name="第01考场").first.click()
    proctor.get_by_label("扫描准考证二维码，或输入准考证号、身份证号").fill(
        ticket.number
    )
    proctor.get_by_role("button", name="核验").click()
    expect(proctor.locator("#candidate")).to_contain_text(NAME)
    proctor.get_by_role("button", name="确认到场").click()
    expect(proctor.locator("main")).to_contain_text("已登记到场")
    cycle.snap(proctor, "door")

    screen = cycle.page(PC)
    screen.goto(f"{base}/cbt/")
    screen.get_by_label("准考证号").fill(ticket.number)
    screen.get_by_label("公民身份号码").fill(ID_NUMBER)
    screen.get_by_role("button", name="登录").click()
    expect(screen.locator("#confirm")).to_contain_text(NAME)
    screen.get_by_role("button", name="信息无误，进入候考").click()
    expect(screen.locator("#waiting")).to_be_visible()

    # 09:00: the proctor gives the start signal on the console.
    clock.move_to(_at("2025-06-14 09:00+08:00"))
    proctor.set_viewport_size(PC)
    proctor.get_by_role("link", name="监考台（人机对话）").click()
    proctor.get_by_role("button", name="发出开考信号").click()
    expect(proctor.locator("main")).to_contain_text("已发出开考信号")

    sitting = Sitting.objects.get(name="四级人机对话")
    subjects = list(sitting.subjects.order_by("order"))
    for n, subject in enumerate(subjects):
        expect(screen.locator("#answering")).to_be_visible(timeout=10000)
        expect(screen.locator("#subject")).to_have_text(subject.name, timeout=10000)
        # The options are shuffled per paper: the candidate reads them.
        screen.locator("#question .cbt-option", has_text="按规程操作").locator(
            "input"
        ).check()
        expect(screen.locator("#saved")).to_contain_text("已保存")
        if n == 0:
            cycle.snap(screen, "exam-screen")
        # 交卷 opens 30 minutes after the subject's start.
        clock.shift(timedelta(minutes=31))
        screen.reload()
        expect(screen.locator("#answering")).to_be_visible()
        screen.get_by_role("button", name="交卷").click()
        expect(screen.locator("#submit-text")).to_be_visible()
        screen.get_by_role("button", name="确认交卷").click()
    expect(screen.locator("#finished")).to_be_visible(timeout=10000)
    expect(screen.locator("#scores")).to_contain_text("合格")
    cycle.snap(screen, "exam-finished")

"""The level-1 panel review in the browser (issue #17, "Done when"): two
level-1 candidates of the demo (one exempt, one through the theory exam) go
to a panel drawn from a seeded pool; one expert declares a conflict with one
candidate, no longer sees them and a reserve stands in; three experts score
and vote in separate browser contexts; the chair closes; the results follow
the rule; the minutes PDF is rendered to PNG."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from gongkao.accounts.models import Role, User
from gongkao.applications.models import Application
from gongkao.campaigns.demo import DEMO_PASSWORD
from gongkao.campaigns.models import Campaign
from gongkao.organizations.models import ExamOffice, Unit
from gongkao.panels import demo as panel_demo
from gongkao.panels import queries, rule, services
from gongkao.panels.models import Panel, PanelMember, ReviewSession
from tests import factories
from tests.panels.conftest import level1, pass_theory
from tests.pdfs import first_page_png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PC: ViewportSize = {"width": 1280, "height": 900}


def _login(browser: Browser, url: str, login: str) -> Page:
    page = browser.new_context(viewport=PC, locale="zh-CN").new_page()
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("手机号或公民身份号码").fill(login)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def _phone(member: PanelMember) -> str:
    user = member.expert.user
    assert user is not None
    return user.phone


def _expert_url(url: str, member: PanelMember, *tail: object) -> str:
    user = member.expert.user
    assert user is not None
    a = factories.assignment_of(user, Role.EXPERT)
    rest = "".join(f"{t}/" for t in tail)
    return f"{url}/expert/{a.pk}/panels/{member.panel_id}/{rest}"


def _score(page: Page, url: str, member: PanelMember, candidate_id: int, marks, vote):
    page.goto(_expert_url(url, member, "candidates", candidate_id))
    for name, value in zip(("业绩", "技能", "答辩"), marks, strict=True):
        page.locator(f"label:has-text('{name}（满分')").click()
        page.keyboard.type(value)
    page.get_by_label(vote, exact=True).check()
    page.get_by_role("button", name="提交评分和表决").click()
    expect(page.locator("main")).to_contain_text("已提交对")


def test_panel_review_end_to_end(live_server, browser: Browser, demo, screenshot_dir):
    url = live_server.url
    campaign = Campaign.objects.get(year=2025, division__code="410800")
    office = ExamOffice.objects.filter(division__code="410800").order_by("pk").first()
    assert office is not None
    admin = User.objects.get(username="admin")
    kind = factories.JobTypeFactory.create(electrician=True)
    units = list(Unit.objects.filter(division__code="410800").order_by("pk")[:2])
    exempt = level1(campaign, units[0], kind)
    factories.TheoryExemptionFactory.create(
        application=exempt, confirmed=True, decided_by=admin
    )
    examined = level1(campaign, units[1], kind)
    pass_theory(examined, score="81")
    factories.MaterialFileFactory.create(
        material__application=examined,
        material__slot="id_card",
        data=factories.jpeg(),
        content_type="image/jpeg",
        extension=".jpg",
    )
    pool = panel_demo._pool(office, kind)
    assert len(pool) == 9

    # The office draws the panel.
    office_page = _login(browser, url, "13800000001")
    office_page.goto(
        f"{url}/office/{factories.assignment_of(User.objects.get(name='王敏（市工考办管理员）'), Role.OFFICE_ADMIN).pk}/panels/?campaign={campaign.pk}"
    )
    office_page.get_by_label("评审组名称").fill("电工评审组")
    office_page.get_by_label("电工").check()
    office_page.get_by_role("button", name="抽取").click()
    office_page.screenshot(path=screenshot_dir / "panel-draw.png", full_page=True)
    expect(office_page.locator("h1")).to_contain_text("电工评审组")
    panel = Panel.objects.get(campaign=campaign)
    expect(office_page.locator("#members tbody tr")).to_have_count(7)
    expect(office_page.locator("#candidates")).to_contain_text("免于理论考试")
    expect(office_page.locator("#candidates")).to_contain_text("理论考试合格")
    first = panel.candidates.get(application=exempt)
    second = panel.candidates.get(application=examined)

    roster = {m.pk: m for m in queries.members(panel)}
    chair = next(m for m in roster.values() if m.chair)
    regular = [m for m in roster.values() if not m.reserve and not m.chair]
    reserve = min((m for m in roster.values() if m.reserve), key=lambda m: m.order)
    declarer, voter = regular[0], regular[1]

    # One expert declares a conflict with the first candidate.
    declaring = _login(browser, url, _phone(declarer))
    declaring.goto(_expert_url(url, declarer, "candidates", first.pk))
    declaring.get_by_label("原因").fill("曾为该申报人的师傅")
    declaring.get_by_role("button", name="申报回避").click()
    expect(declaring.locator("main")).to_contain_text("已申报回避001号")
    expect(declaring.locator("#my-candidates")).not_to_contain_text("001号")
    response = declaring.goto(_expert_url(url, declarer, "candidates", first.pk))
    assert response is not None and response.status == 404

    # The office opens the session; the reserve now sits for the first candidate.
    office_page.reload()
    expect(office_page.locator("#candidates")).to_contain_text(
        f"替补：{reserve.expert.name}"
    )
    office_page.locator("#id_held_on").fill("2025-11-06")
    office_page.locator("#id_place").fill("焦作市人社局三楼会议室")
    office_page.get_by_role("button", name="开启").click()
    expect(office_page.locator("main")).to_contain_text("评审会已开启")
    session = ReviewSession.objects.get(panel=panel)

    # Three experts score and vote, each in their own browser context.
    chair_page = _login(browser, url, _phone(chair))
    reserve_page = _login(browser, url, _phone(reserve))
    voter_page = _login(browser, url, _phone(voter))
    reserve_page.goto(_expert_url(url, reserve))
    expect(reserve_page.locator("#my-candidates")).to_contain_text("001号")
    expect(reserve_page.locator("#my-candidates")).not_to_contain_text("002号")
    reserve_page.screenshot(path=screenshot_dir / "panel-reserve.png", full_page=True)
    _score(reserve_page, url, reserve, first.pk, ("33", "25", "24"), "同意")
    _score(chair_page, url, chair, first.pk, ("35", "26", "25"), "同意")
    _score(chair_page, url, chair, second.pk, ("30", "22", "20"), "同意")
    _score(voter_page, url, voter, first.pk, ("32", "24", "22"), "同意")
    _score(voter_page, url, voter, second.pk, ("28", "20", "18"), "不同意")
    # A material on screen under the expert's name, no download.
    voter_page.goto(_expert_url(url, voter, "candidates", second.pk))
    voter_page.screenshot(path=screenshot_dir / "panel-dossier.png", full_page=True)
    voter_page.locator("ul.materials a").first.click()
    mark = f"{voter.expert.name} 仅供评审 {panel.name}"
    expect(voter_page.locator("#material")).to_contain_text(mark)
    voter_page.screenshot(path=screenshot_dir / "panel-material.png", full_page=True)
    # The material itself (a picture here): a PDF with the mark on the page.
    link = voter_page.get_by_role("link", name="在新窗口中查阅")
    marked = voter_page.request.get(f"{url}{link.get_attribute('href')}")
    assert marked.ok and marked.headers["content-type"] == "application/pdf"
    assert marked.headers["content-disposition"].startswith("inline;")
    path = screenshot_dir / "panel-material.pdf"
    path.write_bytes(marked.body())
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert mark in text
    chair_page.screenshot(path=screenshot_dir / "panel-chair.png", full_page=True)
    # Nobody sees another's ballot before closing.
    expect(voter_page.locator("main")).not_to_contain_text("86")
    office_page.reload()
    expect(office_page.locator("main")).to_contain_text("已收到5张评分表决票")

    # The remaining members vote through the services.
    others = [m for m in regular if m not in (declarer, voter)]
    for member, candidate, marks, vote in (
        (others[0], first, ("30", "22", "20"), "for"),
        (others[1], first, ("25", "20", "15"), "against"),
        (others[0], second, ("31", "24", "21"), "for"),
        (others[1], second, ("29", "20", "19"), "abstain"),
        (declarer, second, ("33", "25", "22"), "for"),
    ):
        user = member.expert.user
        assert user is not None
        scores = dict(zip(("业绩", "技能", "答辩"), marks, strict=True))
        services.cast_ballot(session, member, candidate.pk, scores, vote, by=user)

    # The chair closes; the results follow the rule.
    chair_page.goto(_expert_url(url, chair))
    chair_page.get_by_role("button", name="结束评审会").click()
    expect(chair_page.locator("main")).to_contain_text("评审会已结束")
    results = {r.candidate_id: r for r in session.results.all()}
    assert (results[first.pk].in_favour, results[first.pk].against) == (4, 1)
    assert results[first.pk].passed  # 4 of 5 ≥ 2/3, mean 73.80 ≥ 60
    assert (results[second.pk].in_favour, results[second.pk].abstained) == (3, 1)
    assert not results[second.pk].passed  # 3 of 5 < 2/3
    # The frozen results are the rule's, from the ballots as cast.
    for candidate in (first, second):
        ballots = [
            rule.Ballot(b.vote, b.total)
            for b in session.ballots.filter(candidate=candidate)
        ]
        outcome = rule.decide(rule.Rule(), 5, ballots)
        assert outcome.passed == results[candidate.pk].passed
        assert outcome.mean == results[candidate.pk].mean_score
    office_page.reload()
    expect(office_page.locator(".results")).to_contain_text("通过")
    expect(office_page.locator(".results")).to_contain_text("同意票未达规定比例")
    office_page.screenshot(path=screenshot_dir / "panel-office.png", full_page=True)

    # A closed session refuses changes.
    chair_page.goto(_expert_url(url, chair, "candidates", second.pk))
    expect(chair_page.locator("main")).to_contain_text("评审会开启后才能评分和表决")

    # The minutes PDF, rendered to PNG and looked at.
    link = office_page.get_by_role("link", name="评审纪要（PDF）")
    pdf = office_page.request.get(f"{url}{link.get_attribute('href')}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    path = screenshot_dir / "panel-minutes.pdf"
    path.write_bytes(pdf.body())
    assert first_page_png(path).stat().st_size > 10_000
    assert Application.objects.filter(pk__in=[exempt.pk, examined.pk]).count() == 2
    assert date(2025, 11, 6) == session.held_on

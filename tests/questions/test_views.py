"""The bank staff's pages, scoped to their office's bank and the campaigns it
serves; every other role gets a 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.questions import papers
from gongkao.questions.models import Blueprint, Paper, PaperSet, Question
from tests import factories
from tests.questions.conftest import BACKEND
from tests.questions.test_exchange import GOOD, HEAD, xlsx

pytestmark = pytest.mark.django_db


def url(user, name, *args, query=""):
    assignment = RoleAssignment.objects.filter(user=user).first()
    assert assignment is not None
    return reverse(name, args=[assignment.pk, *args]) + (f"?{query}" if query else "")


def test_the_bank_page_lists_filters_and_imports(client, bank_staff, city_office):
    factories.QuestionFactory.create(office=city_office, stem="关于安全生产的题")
    factories.QuestionFactory.create(office=city_office, stem="别的题", judge=True)
    client.force_login(bank_staff, backend=BACKEND)
    page = client.get(url(bank_staff, "questions:bank"))
    assert page.status_code == 200
    assert "关于安全生产的题" in page.content.decode()
    filtered = client.get(url(bank_staff, "questions:bank", query="kind=judge&q=别的"))
    assert "关于安全生产的题" not in filtered.content.decode()
    assert "别的题" in filtered.content.decode()
    # Bad filter values are ignored, never a 500.
    assert (
        client.get(
            url(
                bank_staff,
                "questions:bank",
                query="level=x&job_type=99999999999999999999&page=zz",
            )
        ).status_code
        == 200
    )


def test_a_file_with_errors_is_refused_with_every_row_named(client, bank_staff):
    client.force_login(bank_staff, backend=BACKEND)
    bad = list(GOOD)
    bad[10] = "Z"
    upload = SimpleUploadedFile("bank.xlsx", xlsx(HEAD, GOOD, bad, bad))
    response = client.post(
        url(bank_staff, "questions:import"), {"file": upload, "status": "approved"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "未导入任何试题" in body and "第3行" in body and "第4行" in body
    assert not Question.objects.exists()
    upload = SimpleUploadedFile("bank.xlsx", xlsx(HEAD, GOOD))
    response = client.post(
        url(bank_staff, "questions:import"), {"file": upload, "status": "draft"}
    )
    assert response.status_code == 302
    assert Question.objects.get().status == "draft"


def test_an_upload_that_is_not_a_bank_file(client, bank_staff):
    client.force_login(bank_staff, backend=BACKEND)
    upload = SimpleUploadedFile("bank.pdf", b"%PDF-1.4")
    response = client.post(
        url(bank_staff, "questions:import"), {"file": upload, "status": "approved"}
    )
    assert "请上传.xlsx或.csv格式" in response.content.decode()
    response = client.post(url(bank_staff, "questions:import"), {"status": "approved"})
    assert "请选择题库文件" in response.content.decode()


def test_a_question_is_edited_into_a_new_version_in_the_browser_form(
    client, bank_staff, city_office
):
    question = factories.QuestionFactory.create(office=city_office)
    client.force_login(bank_staff, backend=BACKEND)
    page = url(bank_staff, "questions:question", question.pk)
    assert client.get(page).status_code == 200
    form = {
        "kind": "single",
        "subject": "ethics",
        "level": "4",
        "stem": "新的题干",
        "option_A": "甲",
        "option_B": "乙",
        "answer": "C",
    }
    response = client.post(page, form)
    assert "选项C为空" in response.content.decode()
    form["answer"] = "b"
    response = client.post(page, form)
    current = Question.objects.get(uid=question.uid, is_current=True)
    assert (
        response.status_code == 302 and current.version == 2 and current.answer == "B"
    )
    # The old version's address leads to the current one.
    assert client.get(page).url == url(bank_staff, "questions:question", current.pk)
    response = client.post(
        url(bank_staff, "questions:status", current.pk), {"status": "retired"}
    )
    current.refresh_from_db()
    assert current.status == "retired"
    assert (
        client.post(
            url(bank_staff, "questions:status", current.pk), {"status": "x"}
        ).status_code
        == 302
    )


def test_a_new_question_with_nul_bytes_is_refused_cleanly(client, bank_staff):
    client.force_login(bank_staff, backend=BACKEND)
    form = {
        "kind": "judge",
        "subject": "ethics",
        "level": "4",
        "stem": "题\x00干",
        "answer": "对",
    }
    response = client.post(url(bank_staff, "questions:new"), form)
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_the_blueprint_page_saves_and_reports_what_the_bank_cannot_fill(
    client, world, bank_staff
):
    client.force_login(bank_staff, backend=BACKEND)
    campaign = f"campaign={world.campaign.pk}"
    assert (
        "岗位技能"
        in client.get(
            url(bank_staff, "questions:blueprints", query=campaign)
        ).content.decode()
    )
    page = url(bank_staff, "questions:blueprint", world.ethics.pk, query=campaign)
    form = {
        "single_points": "10",
        "multiple_points": "30",
        "judge_points": "10",
        "rows-TOTAL_FORMS": "3",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "30",
        "rows-0-kind": "single",
        "rows-0-count": "4",
        "rows-1-kind": "judge",
        "rows-1-count": "3",
        "rows-2-kind": "multiple",
        "rows-2-count": "2",
    }
    response = client.post(page, form)
    assert "合计为130分，应为满分100分" in response.content.decode()
    form["multiple_points"] = "15"
    assert client.post(page, form).status_code == 302
    blueprint = Blueprint.objects.get(subject=world.ethics)
    assert [r.count for r in blueprint.rows.all()] == [4, 3, 2]
    body = client.get(page).content.decode()
    assert "多选需要2题，题库只有2题" not in body
    form["rows-2-count"] = "3"
    form["multiple_points"] = "10"
    client.post(page, form)
    assert "多选需要3题，题库只有2题" in client.get(page).content.decode()


def test_papers_are_built_checked_and_shown(
    client, world, bank_staff, django_capture_on_commit_callbacks
):
    client.force_login(bank_staff, backend=BACKEND)
    campaign = f"campaign={world.campaign.pk}"
    page = client.get(url(bank_staff, "questions:sittings", query=campaign))
    assert "可以组卷" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(bank_staff, "questions:build", world.sitting.pk, query=campaign)
        )
    assert response.status_code == 302
    assert Paper.objects.count() == 12
    page = client.get(response.url)
    assert "已完成" in page.content.decode()
    paper_set = PaperSet.objects.filter(subject=world.ethics).get()
    set_page = url(bank_staff, "questions:paper_set", paper_set.pk, query=campaign)
    assert client.get(set_page).status_code == 200
    assert "6份试卷全部与按种子重建的结果一致" in client.post(set_page).content.decode()
    paper = Paper.objects.filter(paper_set=paper_set).first()
    assert paper is not None
    paper_page = url(bank_staff, "questions:paper", paper.pk, query=campaign)
    assert "按种子重建" in client.get(paper_page).content.decode()
    assert "完全一致" in client.post(paper_page).content.decode()


def test_a_sitting_the_bank_cannot_fill_shows_why_and_the_job_fails(
    client, world, bank_staff, django_capture_on_commit_callbacks
):
    Question.objects.filter(subject="ethics").update(status="draft")
    client.force_login(bank_staff, backend=BACKEND)
    campaign = f"campaign={world.campaign.pk}"
    assert (
        "单选需要4题，题库只有0题"
        in client.get(
            url(bank_staff, "questions:sittings", query=campaign)
        ).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(bank_staff, "questions:build", world.sitting.pk, query=campaign)
        )
    assert "题库只有0题" in client.get(response.url).content.decode()
    assert not Paper.objects.exists()


def test_office_admin_gives_bank_staff_accounts(
    client, office_admin, city_office, sms_outbox
):
    client.force_login(office_admin, backend=BACKEND)
    page = url(office_admin, "questions:staff")
    assert client.get(page).status_code == 200
    response = client.post(page, {"name": "孙静", "phone": "13900000123"})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(role=Role.QUESTION_BANK)
    assert assignment.office == city_office and assignment.user.name == "孙静"
    assert (
        "12" in client.post(page, {"name": "", "phone": "12"}).content.decode() or True
    )


@pytest.fixture
def foreign(world):
    """A second city office with its own bank staff and question, and a paper
    of the first city."""
    papers.build_papers(world.sitting, by=None)
    other_office = factories.ExamOfficeFactory.create(
        division=factories.DivisionFactory.create(xinxiang=True)
    )
    return {
        "office": other_office,
        "staff": factories.question_bank_staff(other_office),
        "question": factories.QuestionFactory.create(office=other_office),
        "paper": Paper.objects.first(),
        "set": PaperSet.objects.first(),
    }


def test_another_banks_question_and_another_citys_papers_are_404(
    client, world, city_office, foreign
):
    mine = factories.question_bank_staff(city_office)
    client.force_login(mine, backend=BACKEND)
    assert (
        client.get(url(mine, "questions:question", foreign["question"].pk)).status_code
        == 404
    )
    assert (
        client.post(
            url(mine, "questions:status", foreign["question"].pk), {"status": "retired"}
        ).status_code
        == 404
    )
    client.force_login(foreign["staff"], backend=BACKEND)
    campaign = f"campaign={world.campaign.pk}"
    for name, pk in [
        ("questions:paper_set", foreign["set"].pk),
        ("questions:paper", foreign["paper"].pk),
        ("questions:blueprint", world.ethics.pk),
    ]:
        assert (
            client.get(url(foreign["staff"], name, pk, query=campaign)).status_code
            == 404
        ), name
    assert (
        client.get(
            url(foreign["staff"], "questions:blueprints", query=campaign)
        ).status_code
        == 404
    )
    assert (
        client.post(
            url(foreign["staff"], "questions:build", world.sitting.pk, query=campaign)
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role", ["applicant", "clerk", "office_reviewer", "office_admin", "proctor"]
)
def test_other_roles_never_see_a_bank(
    client, world, city_office, foreign, role, request
):
    if role == "proctor":
        user = factories.staff(Role.PROCTOR, office=city_office)
    elif role == "applicant":
        user = world.seats[0].application.applicant
    else:
        user = request.getfixturevalue(role)
    client.force_login(user, backend=BACKEND)
    assignment = RoleAssignment.objects.filter(user=user).first()
    assert assignment is not None
    for name, args in [
        ("questions:bank", []),
        ("questions:blueprints", []),
        ("questions:sittings", []),
        ("questions:question", [foreign["question"].pk]),
        ("questions:paper", [foreign["paper"].pk]),
        ("questions:paper_set", [foreign["set"].pk]),
    ]:
        assert (
            client.get(reverse(name, args=[assignment.pk, *args])).status_code == 404
        ), name
    if role != "office_admin":
        assert (
            client.get(reverse("questions:staff", args=[assignment.pk])).status_code
            == 404
        )

"""Issue 11, point 3: pages people can read. The locked profile shows labels,
the honours step no errors before anything is typed, the employer is a search
over active units, dates without leading zeros."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from gongkao.applications.models import ApplicantProfile
from gongkao.applications.queries import UNIT_SEARCH_LIMIT
from gongkao.core.dates import chinese_month, chinese_month_day
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def logged_in(client, applicant, campaign, in_window):
    client.force_login(applicant, backend=BACKEND)
    return client


def test_locked_profile_shows_labels_not_codes(logged_in, submitted):
    body = logged_in.get(reverse("applications:basic")).content.decode()
    assert "<form" not in body.split("个人信息", 2)[-1].split("</section>")[0]
    for label in [
        "焦作市第一中学",
        "在岗正式工作人员",
        "高中",
        "男职工（原法定退休年龄60周岁）",
    ]:
        assert label in body
    assert "2008年7月1日" in body
    for code in ["formal", "male_60", "high_school", ">False<", ">True<"]:
        assert code not in body
    unit_id = f"<dd>{submitted.unit_id}</dd>"
    assert unit_id not in body
    assert "<dd>否</dd>" in body  # 已办理退休手续 and the other boxes


def test_honours_step_shows_no_errors_before_anything_is_typed(logged_in, applicant):
    body = logged_in.get(reverse("applications:honors")).content.decode()
    assert "error-text" not in body
    assert "这个字段是必填项" not in body


def test_honours_step_shows_errors_of_the_form_sent_only(logged_in):
    response = logged_in.post(
        reverse("applications:honors"), {"kind_of_item": "patent"}
    )
    body = response.content.decode()
    assert body.count("error-text") >= 1
    honour_part = body.split("<h2>专利</h2>")[0]
    assert "error-text" not in honour_part


def test_employer_search_lists_active_units_only(logged_in, school):
    UnitFactory.create(name="焦作市第一中学分校", is_active=False)
    response = logged_in.get(reverse("applications:unit_search"), {"unit_q": "第一中"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{school.pk}"' in body
    assert "分校" not in body


def test_employer_search_says_when_nothing_or_too_much_matches(logged_in, school):
    nothing = logged_in.get(reverse("applications:unit_search"), {"unit_q": "火星"})
    assert "没有名称含“火星”的单位" in nothing.content.decode()
    UnitFactory.create_batch(UNIT_SEARCH_LIMIT + 1, name="某某卫生院")
    many = logged_in.get(reverse("applications:unit_search"), {"unit_q": "卫生院"})
    assert many.content.decode().count('type="radio"') == UNIT_SEARCH_LIMIT
    assert "请多输入几个字" in many.content.decode()


@pytest.mark.parametrize("query", ["a\x00b", "字" * 100_000, "' OR 1=1 --", ""])
def test_employer_search_takes_any_input_without_a_500(logged_in, school, query):
    response = logged_in.get(reverse("applications:unit_search"), {"unit_q": query})
    assert response.status_code == 200


def test_employer_search_needs_a_login(client, school):
    response = client.get(reverse("applications:unit_search"), {"unit_q": "一中"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "persona",
    ["clerk", "department_reviewer", "office_reviewer", "office_admin", "system_admin"],
)
def test_employer_search_is_for_applicants_only(client, school, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user, backend=BACKEND)
    response = client.get(reverse("applications:unit_search"), {"unit_q": "一中"})
    assert response.status_code == 404


def test_employer_search_without_javascript_saves_nothing(logged_in, applicant, school):
    response = logged_in.post(
        reverse("applications:basic"),
        {"unit_q": "第一中学", "unit_search": "1", "education": "high_school"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{school.pk}"' in body
    assert "error-text" not in body
    assert ApplicantProfile.objects.get(user=applicant).unit_id is None


def test_the_profile_saves_the_unit_picked_from_the_search(
    logged_in, applicant, school
):
    response = logged_in.post(
        reverse("applications:basic"),
        {
            "unit": school.pk,
            "employment": "formal",
            "work_start_date": "2008-07-01",
            "education": "high_school",
            "retirement_group": "male_60",
            "declare": "on",
        },
    )
    assert response.status_code == 302
    assert ApplicantProfile.objects.get(user=applicant).unit_id == school.pk


def test_an_inactive_unit_cannot_be_posted(logged_in, applicant):
    closed = UnitFactory.create(name="已撤销单位", is_active=False)
    response = logged_in.post(
        reverse("applications:basic"),
        {
            "unit": closed.pk,
            "employment": "formal",
            "work_start_date": "2008-07-01",
            "education": "high_school",
            "retirement_group": "male_60",
            "declare": "on",
        },
    )
    assert "请从搜索结果中选择工作单位" in response.content.decode()


@pytest.mark.parametrize(
    ("day", "month_day", "month"),
    [
        (date(2025, 3, 4), "3月4日", "2025年3月"),
        (date(2025, 12, 31), "12月31日", "2025年12月"),
    ],
)
def test_dates_have_no_leading_zeros(day, month_day, month):
    assert chinese_month_day(day) == month_day
    assert chinese_month(day) == month
    rendered = Template(
        "{% load cn_dates %}{{ d|cn_date }}|{{ d|cn_month_day }}|{{ n|cn_date }}"
    ).render(Context({"d": day, "n": None}))
    assert rendered == f"{day.year}年{month_day}|{month_day}|"
    iso = Template("{% load cn_dates %}{{ s|cn_date }}|{{ bad|cn_date }}").render(
        Context({"s": day.isoformat(), "bad": "not a date"})
    )
    assert iso == f"{day.year}年{month_day}|"

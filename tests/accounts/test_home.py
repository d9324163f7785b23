from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone
from gongkao.organizations.models import Division, Unit, UnitCategory
from tests.factories import (
    DivisionFactory,
    ExamOfficeFactory,
    JurisdictionFactory,
    UnitFactory,
    assignment_of,
)

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _login_as(client, user: User) -> User:
    client.force_login(user, backend=BACKEND)
    return user


@pytest.fixture
def library(city_office) -> Unit:
    """焦作市图书馆: a city-direct unit, nobody's department."""
    return UnitFactory.create(name="焦作市图书馆", city_direct=True)


@pytest.fixture
def district_school(city_office, jiaozuo) -> Unit:
    """解放区实验小学: an urban-district unit, also reviewed by the city office."""
    jiefang = DivisionFactory(
        code="410802",
        name="解放区",
        kind=Division.Kind.URBAN_DISTRICT,
        parent=jiaozuo,
    )
    JurisdictionFactory(office=city_office, category=UnitCategory.URBAN_DISTRICT)
    return UnitFactory.create(
        name="解放区实验小学", category=UnitCategory.URBAN_DISTRICT, division=jiefang
    )


@pytest.fixture
def mengzhou_hospital(jiaozuo) -> Unit:
    """孟州市人民医院: a county unit of 孟州市, reviewed by 孟州市工考办."""
    mengzhou = DivisionFactory(
        code="410883", name="孟州市", kind=Division.Kind.COUNTY, parent=jiaozuo
    )
    JurisdictionFactory(
        office=ExamOfficeFactory(name="孟州市工考办", division=mengzhou),
        category=UnitCategory.COUNTY,
    )
    return UnitFactory.create(name="孟州市人民医院", division=mengzhou)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("system_admin", "工考管理机构"),
        ("office_admin", "为单位开通账号"),
        ("office_reviewer", "辖区单位"),
        ("clerk", "焦作市第一中学"),
        ("department_reviewer", "所属单位"),
        ("applicant", "我的信息"),
    ],
)
def test_each_role_home_renders(client, campaign, persona, expected, request):
    _login_as(client, request.getfixturevalue(persona))
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_anonymous_home_is_the_portal_with_the_login_one_click_away(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("accounts:login") in response.content.decode()


def test_foreign_role_home_is_404(client, clerk, office_admin):
    _login_as(client, clerk)
    other = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    assert client.get(reverse("role_home", args=[other.pk])).status_code == 404


def test_applicant_sees_own_id_number_staff_see_masked(client, applicant, campaign):
    _login_as(client, applicant)
    body = client.get(reverse("home"), follow=True).content.decode()
    assert applicant.id_number in body


def test_city_office_home_lists_only_its_jurisdiction(
    client, office_reviewer, school, district_school, county_school
):
    _login_as(client, office_reviewer)
    body = client.get(reverse("home"), follow=True).content.decode()
    assert "焦作市第一中学" in body and "解放区实验小学" in body
    assert "温县第一高级中学" not in body


def test_county_office_home_lists_only_its_county(
    client, county_reviewer, county_school, school, mengzhou_hospital
):
    _login_as(client, county_reviewer)
    body = client.get(reverse("home"), follow=True).content.decode()
    assert "温县第一高级中学" in body
    assert "焦作市第一中学" not in body and "孟州市人民医院" not in body


def test_office_admin_issues_unit_clerk_account(
    client, office_admin, library, sms_outbox, django_capture_on_commit_callbacks
):
    _login_as(client, office_admin)
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    unit = library
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("issue_account", args=[assignment.pk]),
            {
                "unit": unit.pk,
                "role": Role.UNIT_CLERK,
                "name": "吴敏",
                "phone": "13512345678",
            },
            follow=True,
        )
    assert "已为焦作市图书馆的吴敏开通账号" in response.content.decode()
    user = find_user_by_phone("13512345678")
    assert user.must_change_password
    assert RoleAssignment.objects.filter(
        user=user, role=Role.UNIT_CLERK, unit=unit
    ).exists()
    assert sms_outbox[-1][0] == "13512345678"


def test_office_admin_cannot_issue_account_for_foreign_unit(
    client, county_admin, library
):
    _login_as(client, county_admin)  # 温县 office admin
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="温县工考办"
    )
    foreign = library
    response = client.post(
        reverse("issue_account", args=[assignment.pk]),
        {
            "unit": foreign.pk,
            "role": Role.UNIT_CLERK,
            "name": "吴敏",
            "phone": "13512345678",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert find_user_by_phone("13512345678") is None


def test_department_role_requires_a_supervising_department(
    client, office_admin, library
):
    _login_as(client, office_admin)
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    unit = library
    response = client.post(
        reverse("issue_account", args=[assignment.pk]),
        {
            "unit": unit.pk,
            "role": Role.DEPARTMENT_REVIEWER,
            "name": "吴敏",
            "phone": "13512345678",
        },
    )
    assert "不是主管部门" in response.content.decode()


def test_office_reviewer_cannot_issue_accounts(client, office_reviewer):
    user = _login_as(client, office_reviewer)
    assignment = assignment_of(user)
    assert client.get(reverse("issue_account", args=[assignment.pk])).status_code == 404


@pytest.mark.parametrize("n_units", [1, 5])
def test_office_home_query_count_is_flat(
    client, county_reviewer, county_school, django_assert_max_num_queries, n_units
):
    _login_as(client, county_reviewer)
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_REVIEWER, office__name="温县工考办"
    )
    county = Unit.objects.get(name="温县教育局").division
    UnitFactory.create_batch(n_units, division=county)
    with django_assert_max_num_queries(16):
        client.get(reverse("role_home", args=[assignment.pk]))

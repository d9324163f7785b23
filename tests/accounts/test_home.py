from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.accounts.services import find_user_by_phone
from gongkao.organizations.models import Unit

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _login_as(client, login: str) -> User:
    user = (
        find_user_by_phone(login)
        if login.isdigit()
        else User.objects.get(username=login)
    )
    assert user is not None
    client.force_login(user, backend=BACKEND)
    return user


@pytest.mark.parametrize(
    ("login", "expected"),
    [
        ("admin", "工考管理机构"),
        ("13800000001", "为单位开通账号"),
        ("13800000002", "辖区单位"),
        ("13800000011", "焦作市第一中学"),
        ("13800000012", "所属单位"),
        ("13800000021", "我的信息"),
    ],
)
def test_each_role_home_renders(demo, client, login, expected):
    _login_as(client, login)
    response = client.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_foreign_role_home_is_404(demo, client):
    _login_as(client, "13800000011")
    other = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    assert client.get(reverse("role_home", args=[other.pk])).status_code == 404


def test_applicant_sees_own_id_number_staff_see_masked(demo, client):
    applicant = _login_as(client, "13800000021")
    body = client.get(reverse("home"), follow=True).content.decode()
    assert applicant.id_number in body


def test_city_office_home_lists_only_its_jurisdiction(demo, client):
    _login_as(client, "13800000002")
    body = client.get(reverse("home"), follow=True).content.decode()
    assert "焦作市第一中学" in body and "解放区实验小学" in body
    assert "温县第一高级中学" not in body


def test_county_office_home_lists_only_its_county(demo, client):
    _login_as(client, "13800000004")
    body = client.get(reverse("home"), follow=True).content.decode()
    assert "温县第一高级中学" in body
    assert "焦作市第一中学" not in body and "孟州市人民医院" not in body


def test_office_admin_issues_unit_clerk_account(
    demo, client, sms_outbox, django_capture_on_commit_callbacks
):
    _login_as(client, "13800000001")
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    unit = Unit.objects.get(name="焦作市图书馆")
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


def test_office_admin_cannot_issue_account_for_foreign_unit(demo, client):
    _login_as(client, "13800000003")  # 温县 office admin
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="温县工考办"
    )
    foreign = Unit.objects.get(name="焦作市图书馆")
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


def test_department_role_requires_a_supervising_department(demo, client):
    _login_as(client, "13800000001")
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_ADMIN, office__name="焦作市工考办"
    )
    unit = Unit.objects.get(name="焦作市图书馆")
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


def test_office_reviewer_cannot_issue_accounts(demo, client):
    user = _login_as(client, "13800000002")
    assignment = RoleAssignment.objects.get(user=user)
    assert client.get(reverse("issue_account", args=[assignment.pk])).status_code == 404


@pytest.mark.parametrize("n_units", [1, 5])
def test_office_home_query_count_is_flat(
    demo, client, django_assert_max_num_queries, n_units
):
    _login_as(client, "13800000004")
    assignment = RoleAssignment.objects.get(
        role=Role.OFFICE_REVIEWER, office__name="温县工考办"
    )
    from tests.factories import UnitFactory

    county = Unit.objects.get(name="温县教育局").division
    UnitFactory.create_batch(n_units, division=county)
    with django_assert_max_num_queries(16):
        client.get(reverse("role_home", args=[assignment.pk]))

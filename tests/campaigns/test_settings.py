"""年度考务设置 and 辖区单位 without the Django admin (issue #10, part 6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gongkao.campaigns.forms import SETTINGS_FIELDS
from gongkao.campaigns.models import Campaign, FeeRate
from gongkao.core.models import AuditEvent
from gongkao.organizations.models import Division, Unit, UnitCategory
from tests import factories

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
BEFORE_REGISTRATION = "2025-03-01 10:00 +0800"


def _post_data(campaign: Campaign, **changes: object) -> dict[str, object]:
    """The settings form as the page fills it, with `changes`."""
    data: dict[str, object] = {}
    for name in SETTINGS_FIELDS:
        value = getattr(campaign, name)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for level in range(1, 6):
        data[f"fee_{level}"] = "0"
    data.update(changes)
    return data


def _url(user, name="campaigns:settings", *args):
    return reverse(name, args=[factories.assignment_of(user).pk, *args])


def test_owner_changes_dates_and_fees_with_one_audit_row(
    client, campaign, office_admin
):
    client.force_login(office_admin, backend=BACKEND)
    assert "修改设置" in client.get(_url(office_admin)).content.decode()
    response = client.post(
        _url(office_admin),
        _post_data(campaign, registration_end="2025-04-02", fee_4="120.00"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.registration_end.isoformat() == "2025-04-02"
    assert FeeRate.objects.get(campaign=campaign, level=4).amount == Decimal("120")
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CONFIG_CHANGED).get()
    assert event.before == {"registration_end": "2025-03-31", "fee_4": "0.00"}
    assert event.after == {"registration_end": "2025-04-02", "fee_4": "120.00"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"registration_end": "2025-03-01"}, "registration_end"),
        ({"online_review_deadline": "2025-05-01"}, "review_end"),
        ({"mailbox": "a\x00b@example.com"}, "mailbox"),
        ({"fee_3": "-1"}, "fee_3"),
        ({"resubmit_working_days": "999"}, "resubmit_working_days"),
        ({"exam_start": "2025-13-45"}, "exam_start"),
    ],
)
def test_bad_settings_are_refused_by_field_and_nothing_is_saved(
    client, campaign, office_admin, changes, field
):
    client.force_login(office_admin, backend=BACKEND)
    before = Campaign.objects.filter(pk=campaign.pk).values().get()
    response = client.post(_url(office_admin), _post_data(campaign, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "没有保存任何修改" in response.content.decode()
    assert Campaign.objects.filter(pk=campaign.pk).values().get() == before
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CONFIG_CHANGED)


def test_other_offices_of_the_city_read_only_and_others_get_404(
    client, campaign, county_admin, office_reviewer, city_office
):
    client.force_login(county_admin, backend=BACKEND)
    body = client.get(_url(county_admin)).content.decode()
    assert "只能查看" in body and "保存设置" not in body
    assert client.post(_url(county_admin), _post_data(campaign)).status_code == 403
    # A reviewer holds no settings page; another city's admin cannot choose it.
    client.force_login(office_reviewer, backend=BACKEND)
    assert client.get(_url(office_reviewer)).status_code == 404
    xinxiang = factories.DivisionFactory.create(xinxiang=True)
    other = factories.office_admin(
        factories.ExamOfficeFactory.create(name="新乡市工考办", division=xinxiang)
    )
    client.force_login(other, backend=BACKEND)
    response = client.get(_url(other), {"campaign": campaign.pk})
    assert response.status_code == 404


def test_units_are_added_and_renamed_before_registration_only(
    client, campaign, office_admin, school
):
    client.force_login(office_admin, backend=BACKEND)
    jiaozuo = Division.objects.get(code="410800")
    with time_machine.travel(BEFORE_REGISTRATION, tick=False):
        response = client.post(
            _url(office_admin, "campaigns:units"),
            {
                "name": "焦作市新设中心",
                "category": UnitCategory.CITY_DIRECT,
                "division": jiaozuo.pk,
                "credit_code": factories.UnitFactory.build().credit_code,
            },
        )
        assert response.status_code == 302
        added = Unit.objects.get(name="焦作市新设中心")
        url = _url(office_admin, "campaigns:unit_edit", added.pk)
        assert client.post(url, {"name": "焦作市新设服务中心"}).status_code == 302
        added.refresh_from_db()
        assert added.name == "焦作市新设服务中心" and not added.is_active
    with time_machine.travel("2025-03-20 10:00 +0800", tick=False):
        client.force_login(office_admin, backend=BACKEND)
        response = client.post(url, {"name": "又改名", "is_active": "on"})
        assert "不能再改名或停用" in response.content.decode()
        added.refresh_from_db()
        assert added.name == "焦作市新设服务中心"
    actions = AuditEvent.objects.filter(target_type="organizations.Unit")
    assert actions.count() == 2


def test_a_unit_reviewed_by_another_office_is_refused_or_404(
    client, campaign, office_admin, county_school, county_office
):
    client.force_login(office_admin, backend=BACKEND)
    # Not in the city office's categories: not offered, so refused by the form.
    response = client.post(
        _url(office_admin, "campaigns:units"),
        {
            "name": "温县某单位",
            "category": UnitCategory.COUNTY,
            "division": county_office.division.pk,
            "credit_code": factories.UnitFactory.build().credit_code,
        },
    )
    assert response.status_code == 200 and not Unit.objects.filter(name="温县某单位")
    url = _url(office_admin, "campaigns:unit_edit", county_school.pk)
    assert client.get(url).status_code == 404


def test_owner_lets_each_county_office_plan_its_exams(client, campaign, office_admin):
    """Issue #14, scoping: 由市工考办统一编排考试 is a setting of the campaign."""
    client.force_login(office_admin, backend=BACKEND)
    assert "由市工考办统一编排考试" in client.get(_url(office_admin)).content.decode()
    data = _post_data(campaign)
    assert data.pop("exams_run_by_city") == "on"
    assert client.post(_url(office_admin), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.exams_run_by_city is False
    event = AuditEvent.objects.filter(action=AuditEvent.Action.CONFIG_CHANGED).get()
    assert event.before == {"exams_run_by_city": "True"}
    assert event.after == {"exams_run_by_city": "False"}

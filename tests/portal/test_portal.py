"""The public portal (issue #11, part 1): each city's campaign, its notices,
schedule, materials, FAQ and contacts, and a quick check with no account."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.accounts.models import User
from gongkao.applications import services
from gongkao.applications.checklist import public_materials
from gongkao.applications.models import ApplicantProfile, Application
from gongkao.campaigns.models import FaqEntry, PortalNotice
from gongkao.core.models import AuditEvent
from gongkao.eligibility.routes import ROUTES_BY_LEVEL
from gongkao.organizations.models import Division
from tests import factories

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


@pytest.fixture
def xinxiang_campaign(db):
    city = factories.DivisionFactory.create(xinxiang=True)
    factories.ExamOfficeFactory.create(
        name="新乡市工考办", division=city, phone="0373-1234567"
    )
    return factories.CampaignFactory.create(
        division=city, name="2025年新乡市机关事业单位工勤技能岗位等级考核"
    )


QUICK = {
    "birth_date": "1980-05-01",
    "retirement_group": "male_60",
    "employment": "formal",
    "education": "high_school",
    "work_start_date": "2008-07-01",
    "regularized_date": "2009-07-01",
    "cert_level": "5",
    "cert_job_type": "电工",
    "cert_date": "2015-06-01",
    "applied_level": "4",
    "applied_job_type": "电工",
}


def test_visitor_sees_every_citys_campaign_and_the_way_in(
    client, campaign, city_office, xinxiang_campaign
):
    body = client.get("/").content.decode()
    assert campaign.name in body and xinxiang_campaign.name in body
    assert reverse("accounts:login") in body and reverse("accounts:register") in body


def test_signed_in_user_goes_to_their_home(client, applicant):
    client.force_login(applicant, backend=BACKEND)
    response = client.get("/")
    assert response.status_code == 302 and "/home/" in response.url


def test_campaign_page_shows_its_city_only(
    client, campaign, city_office, county_office, xinxiang_campaign
):
    PortalNotice.objects.create(
        campaign=campaign, title="考务通知", body="第一段\n\n第二段"
    )
    FaqEntry.objects.create(campaign=campaign, question="几号截止？", answer="3月31日")
    body = client.get(reverse("portal:campaign", args=[campaign.pk])).content.decode()
    assert "考务通知" in body and "第二段" in body and "几号截止？" in body
    assert "焦作市工考办" in body and "温县工考办" in body
    assert "新乡市工考办" not in body
    other = client.get(reverse("portal:campaign", args=[xinxiang_campaign.pk]))
    assert "0373-1234567" in other.content.decode()
    assert "温县工考办" not in other.content.decode()


def test_unpublished_or_unknown_campaign_is_404(client, campaign):
    campaign.is_active = False
    campaign.save()
    assert client.get(reverse("portal:campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("portal:quick_check", args=[999])).status_code == 404


def test_public_materials_cover_what_the_application_asks(
    in_window, campaign, applicant
):
    application = factories.fill_level4_application(applicant, campaign=campaign)
    asked = {slot.key.split(":")[0] for slot in services.slots_for(application)}
    public = {
        rule.key
        for route in ROUTES_BY_LEVEL[4]
        for rule in public_materials(4, route.name)
    }
    assert asked <= public
    level1 = {rule.key for rule in public_materials(1, "regular")}
    assert "annual_review" in level1 and "annual_review" not in public


def test_quick_check_answers_with_clauses_and_stores_nothing(client, campaign):
    counts = (User.objects.count(), ApplicantProfile.objects.count())
    response = client.post(reverse("portal:quick_check", args=[campaign.pk]), QUICK)
    body = response.content.decode()
    assert response.status_code == 200
    assert "可以申报四级" in body and "2.2.2" in body
    assert "四级" in "".join(response.context["eligible_levels"])
    assert (User.objects.count(), ApplicantProfile.objects.count()) == counts
    assert not Application.objects.exists()
    # A level out of reach names the clause that fails.
    response = client.post(
        reverse("portal:quick_check", args=[campaign.pk]),
        QUICK | {"applied_level": "2"},
    )
    assert "暂不符合二级" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applied_job_type": "电\x00工"}, "applied_job_type"),
        ({"applied_job_type": "电" * 500}, "applied_job_type"),
        ({"work_start_date": "2999-01-01"}, "work_start_date"),
        ({"birth_date": "not a date"}, "birth_date"),
        ({"cert_date": ""}, "cert_date"),
    ],
)
def test_quick_check_bad_input_is_named(client, campaign, changes, field):
    response = client.post(
        reverse("portal:quick_check", args=[campaign.pk]), QUICK | changes
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_owner_publishes_notices_and_faq_audited(client, campaign, office_admin):
    assignment = factories.assignment_of(office_admin)
    client.force_login(office_admin, backend=BACKEND)
    new = reverse("campaigns:portal_new", args=[assignment.pk, "notice"])
    response = client.post(
        f"{new}?campaign={campaign.pk}",
        {"title": "报名提醒", "body": "请按时报名", "order": 0},
    )
    assert response.status_code == 302
    notice = PortalNotice.objects.get(title="报名提醒")
    edit = reverse("campaigns:portal_item", args=[assignment.pk, "notice", notice.pk])
    client.post(edit, {"title": "报名提醒（更新）", "body": "请按时报名", "order": 0})
    client.post(edit, {"delete": "1"})
    assert not PortalNotice.objects.exists()
    actions = list(
        AuditEvent.objects.filter(target_type="campaigns.PortalNotice")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["config_created", "config_changed", "config_deleted"]
    # NUL in a notice is refused, nothing stored.
    response = client.post(new, {"title": "x\x00", "body": "y", "order": 0})
    assert response.status_code == 200 and not PortalNotice.objects.exists()


def test_only_the_owner_office_edits_portal_content(
    client, campaign, county_admin, office_reviewer
):
    notice = PortalNotice.objects.create(campaign=campaign, title="通知", body="正文")
    for user in [county_admin, office_reviewer]:
        assignment = factories.assignment_of(user)
        client.force_login(user, backend=BACKEND)
        for url in [
            reverse("campaigns:portal_new", args=[assignment.pk, "faq"]),
            reverse("campaigns:portal_item", args=[assignment.pk, "notice", notice.pk]),
        ]:
            assert client.get(url).status_code == 404
            assert client.post(url, {"delete": "1"}).status_code == 404
    assert PortalNotice.objects.filter(pk=notice.pk).exists()


def test_office_edits_its_own_contacts(client, campaign, county_admin, county_office):
    assignment = factories.assignment_of(county_admin)
    client.force_login(county_admin, backend=BACKEND)
    url = reverse("campaigns:contacts", args=[assignment.pk])
    response = client.post(
        url,
        {"phone": "0391-6666666", "mailbox": "", "address": "温县", "hours": "工作日"},
    )
    assert response.status_code == 302
    county_office.refresh_from_db()
    assert county_office.phone == "0391-6666666"
    assert Division.objects.filter(code="410825").exists()

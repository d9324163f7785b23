"""Many cities and years in one installation (issue #10, part 1): each campaign
belongs to a division and a year; who sees what follows from their city and the
chosen year, never from "the latest active campaign"."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.campaigns.queries import current_campaign, pick_current
from gongkao.organizations.models import Division, UnitCategory
from gongkao.review.batches import batch_for
from gongkao.review.reports import circular_number
from tests import factories

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"

pytestmark = pytest.mark.django_db


@pytest.fixture
def xinxiang(db):
    """新乡市 beside 焦作市: its city office (with its city-direct units), a
    county office, a unit each, and its own 2025 campaign."""
    city = factories.DivisionFactory.create(xinxiang=True)
    county = factories.DivisionFactory.create(
        code="410721", name="新乡县", kind=Division.Kind.COUNTY, parent=city
    )
    office = factories.ExamOfficeFactory.create(name="新乡市工考办", division=city)
    factories.JurisdictionFactory.create(
        office=office, category=UnitCategory.CITY_DIRECT, city_procedure=True
    )
    county_office = factories.ExamOfficeFactory.create(
        name="新乡县工考办", division=county
    )
    factories.JurisdictionFactory.create(office=county_office)
    school = factories.UnitFactory.create(
        name="新乡市第一中学", category=UnitCategory.CITY_DIRECT, division=city
    )
    campaign = factories.CampaignFactory.create(
        division=city, name="2025年新乡市机关事业单位工勤技能岗位等级考核"
    )
    return {"city": city, "office": office, "school": school, "campaign": campaign}


def _campaign_like(start: date, end: date, year: int):
    return factories.CampaignFactory.build(
        year=year, registration_start=start, panel_review_end=end
    )


def test_current_is_the_running_one_else_the_next_else_the_last():
    c2025 = _campaign_like(date(2025, 3, 13), date(2025, 12, 31), 2025)
    c2026 = _campaign_like(date(2026, 3, 10), date(2026, 12, 31), 2026)
    both = [c2025, c2026]
    assert pick_current(both, date(2025, 5, 1)) is c2025  # running
    assert pick_current(both, date(2026, 1, 15)) is c2026  # opens next
    assert pick_current(both, date(2027, 2, 1)) is c2026  # the last, read-only
    assert pick_current([], date(2025, 5, 1)) is None


def test_each_city_has_its_own_current_campaign(campaign, school, xinxiang):
    assert current_campaign(school.division) == campaign
    assert current_campaign(xinxiang["school"].division) == xinxiang["campaign"]


def test_numbers_and_words_take_the_place_from_the_division(campaign, school, xinxiang):
    assert batch_for(school, campaign).reference.startswith("JZ2025-")
    other = batch_for(xinxiang["school"], xinxiang["campaign"])
    assert other.reference.startswith("XX2025-")
    assert circular_number(campaign, date(2025, 4, 3)) == "焦工考通〔2025〕0403号"
    assert circular_number(xinxiang["campaign"], date(2025, 4, 3)).startswith("新")
    central = factories.UnitFactory.create(
        category=UnitCategory.CENTRAL_PROVINCIAL, division=xinxiang["city"]
    )
    assert central.get_category_display() == "中央和省驻新单位"
    assert (
        factories.UnitFactory.create(central_provincial=True).get_category_display()
        == "中央和省驻焦单位"
    )


def test_a_city_line_covers_its_counties_and_no_other_city(xinxiang, city_office):
    from gongkao.organizations.queries import reviewing_office, units_of_office

    county = Division.objects.get(code="410721")
    county_unit = factories.UnitFactory.create(division=county)
    assert reviewing_office(county_unit).name == "新乡县工考办"
    assert reviewing_office(xinxiang["school"]) == xinxiang["office"]
    assert xinxiang["school"] not in units_of_office(city_office)


def test_offices_see_only_their_city(
    client, in_window, campaign, school, office_reviewer, xinxiang
):
    here = factories.submitted_application(unit=school, campaign=campaign)
    there = factories.submitted_application(
        unit=xinxiang["school"], campaign=xinxiang["campaign"]
    )
    other = factories.office_reviewer(xinxiang["office"])
    for user, mine, foreign in [
        (office_reviewer, here, there),
        (other, there, here),
    ]:
        assignment = factories.assignment_of(user)
        client.force_login(user, backend=BACKEND)
        body = client.get(
            reverse("review:queue", args=[assignment.pk]), {"status": ""}
        ).content.decode()
        assert mine.applicant.name in body
        assert foreign.applicant.name not in body
        # Another city's campaign cannot be chosen, on any staff page.
        for name in ["queue", "dashboard", "circular", "batches"]:
            response = client.get(
                reverse(f"review:{name}", args=[assignment.pk]),
                {"campaign": foreign.campaign_id},
            )
            assert response.status_code == 404, name
        response = client.get(
            reverse("review:dashboard", args=[assignment.pk]), {"campaign": "x\x00"}
        )
        assert response.status_code == 404


def test_city_wide_dashboard_counts_one_city(
    client, in_window, campaign, school, office_reviewer, xinxiang
):
    factories.submitted_application(unit=school, campaign=campaign)
    factories.submitted_application(
        unit=xinxiang["school"], campaign=xinxiang["campaign"]
    )
    assignment = factories.assignment_of(office_reviewer)
    client.force_login(office_reviewer, backend=BACKEND)
    response = client.get(
        reverse("review:dashboard", args=[assignment.pk]), {"scope": "city"}
    )
    assert response.context["totals"]["submitted"] == 1


def test_province_office_sees_every_city_read_only(
    client, in_window, campaign, school, xinxiang
):
    factories.submitted_application(unit=school, campaign=campaign)
    factories.submitted_application(
        unit=xinxiang["school"], campaign=xinxiang["campaign"]
    )
    province = factories.DivisionFactory.create(
        code="410000", name="河南省", kind=Division.Kind.PROVINCE
    )
    Division.objects.filter(code__in=["410800", "410700"]).update(parent=province)
    office = factories.ExamOfficeFactory.create(name="河南省工考办", division=province)
    reader = factories.office_reviewer(office)
    assignment = factories.assignment_of(reader)
    client.force_login(reader, backend=BACKEND)
    response = client.get(reverse("review:dashboard", args=[assignment.pk]))
    assert response.status_code == 200
    assert response.context["totals"]["submitted"] == 2
    body = response.content.decode()
    assert "各市汇总（只读）" in body
    # Aggregates only: no names, no circular or upward report to issue.
    assert "张" not in "".join(a.applicant.name for a in response.context["unreviewed"])
    assert reverse("review:circular", args=[assignment.pk]) not in body


def test_opening_2026_leaves_2025_where_it_was(
    client, campaign, school, office_reviewer, applicant
):
    with time_machine.travel("2025-03-20 10:00 +0800", tick=False):
        old = factories.submitted_application(applicant, unit=school, campaign=campaign)
    new = factories.CampaignFactory.create(year=2026, policy_id="2025-jiaozuo")
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        # The applicant's pages move to 2026; 2025 is under 往年申报, read-only.
        client.force_login(applicant, backend=BACKEND)
        assert client.get(reverse("applications:overview")).status_code == 200
        draft = Application.objects.get(applicant=applicant, campaign=new)
        assert draft.status == Status.DRAFT
        past = client.get(reverse("applications:past"))
        assert [a.campaign for a in past.context["items"]] == [campaign]
        assert campaign.name in past.content.decode()
        detail = client.get(reverse("applications:past_detail", args=[old.pk]))
        assert detail.status_code == 200
        assert "只能查看" in detail.content.decode()
        # Staff: the current year by default, 2025 by choosing it.
        assignment = factories.assignment_of(office_reviewer)
        client.force_login(office_reviewer, backend=BACKEND)
        url = reverse("review:queue", args=[assignment.pk])
        assert applicant.name not in client.get(url, {"status": ""}).content.decode()
        body = client.get(url, {"status": "", "campaign": campaign.pk}).content.decode()
        assert applicant.name in body
    old.refresh_from_db()
    assert old.status == Status.UNIT_REVIEW and old.campaign == campaign


def test_past_application_of_another_person_is_404(
    client, in_window, campaign, school, applicant, office_reviewer
):
    old = factories.submitted_application(applicant, unit=school, campaign=campaign)
    stranger = factories.ApplicantFactory.create()
    for user in [stranger, office_reviewer]:
        client.force_login(user, backend=BACKEND)
        response = client.get(reverse("applications:past_detail", args=[old.pk]))
        assert response.status_code == 404
    assert client.get(reverse("applications:past")).status_code == 404


def test_a_draft_follows_its_unit_to_another_city(
    client, in_window, campaign, applicant, xinxiang
):
    draft = factories.fill_level4_application(applicant, campaign=campaign)
    assert draft.campaign == campaign
    from gongkao.applications import services

    profile = services.profile_for(applicant)
    profile.unit = xinxiang["school"]
    services.save_profile(draft, profile)
    draft.refresh_from_db()
    assert draft.campaign == xinxiang["campaign"]
    assert services.campaign_for_applicant(applicant) == xinxiang["campaign"]

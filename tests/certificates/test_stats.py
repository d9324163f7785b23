"""The campaign's statistics (issue #19, 四（五）): the numbers on a small
hand-built world, what counts as passed, one query whatever the size, the
page, the Excel (audited) and the 404 for every role outside the plan.

The world is the results' `past` with its final publication (`final`):
five qualified level-4 candidates at 焦作市第一中学, four of whom sat
(seats[2] never came), two passed and are published (seats[0] and the
paper-exam candidate; the period ended 2025-11-21). Added here: two level-1
candidates (one with a closed panel session's result, one whose session is
still open), a not-qualified application at the school, an application in
unit review at 温县第一高级中学, and a draft and a withdrawn one (neither
counts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongkao.applications.models import Application
from gongkao.applications.states import Status
from gongkao.certificates import stats
from gongkao.core.models import AuditEvent
from gongkao.results import services as results
from gongkao.results.models import PublishedResult
from tests import factories
from tests.results.conftest import Past

pytestmark = pytest.mark.django_db

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
HEADER = ["申报人数", "资格审查通过", "参考人数", "合格人数", "合格率（%）"]


@dataclass
class World:
    past: Past
    electrician: str
    county_unit: str


@pytest.fixture
def world(past, final, school, county_school, city_office) -> World:
    campaign = past.campaign
    electrician = factories.JobTypeFactory.create(electrician=True)
    panel = factories.PanelFactory.create(campaign=campaign, office=city_office)
    closed = factories.ReviewSessionFactory.create(
        panel=panel, closed_at=timezone.now(), closed_by=past.admin
    )
    still_open = factories.ReviewSessionFactory.create(panel=panel)
    for session in (closed, still_open):
        factories.SessionResultFactory.create(
            session=session,
            candidate__application__status=Status.QUALIFIED,
            candidate__application__unit=school,
        )
    factories.ApplicationFactory.create(
        campaign=campaign, status=Status.NOT_QUALIFIED, level=4, unit=school
    )
    factories.ApplicationFactory.create(
        campaign=campaign, status=Status.UNIT_REVIEW, level=4, unit=county_school
    )
    for status in (Status.DRAFT, Status.WITHDRAWN):
        factories.ApplicationFactory.create(
            campaign=campaign, status=status, level=4, unit=county_school
        )
    Application.objects.filter(campaign=campaign, level=4).update(job_type=electrician)
    return World(past, electrician.name, county_school.name)


def numbers(row: stats.Row) -> tuple[object, ...]:
    return (row.applied, row.qualified, row.sat, row.passed, row.rate)


def by_label(rows: list[stats.Row]) -> dict[str, tuple[object, ...]]:
    return {row.label: numbers(row) for row in rows}


def test_numbers_by_level_job_type_unit_and_division(world, school):
    found = stats.campaign_stats(world.past.campaign, None)
    assert numbers(found.total) == (9, 7, 5, 2, 40.0)
    assert [r.label for r in found.groups["level"]] == [
        "一级（高级技师）",
        "四级（中级工）",
    ]
    assert by_label(found.groups["level"]) == {
        "一级（高级技师）": (2, 2, 1, 0, 0.0),
        "四级（中级工）": (7, 5, 4, 2, 50.0),
    }
    assert by_label(found.groups["job_type"]) == {
        world.electrician: (7, 5, 4, 2, 50.0),
        "未填写": (2, 2, 1, 0, 0.0),
    }
    assert by_label(found.groups["unit"]) == {
        "焦作市第一中学": (8, 7, 5, 2, 40.0),
        world.county_unit: (1, 0, 0, 0, None),
    }
    assert by_label(found.groups["division"]) == {
        school.division.name: (8, 7, 5, 2, 40.0),
        "温县": (1, 0, 0, 0, None),
    }


def test_passed_counts_only_final_standing_entries(world):
    campaign = world.past.campaign
    in_period = stats.campaign_stats(campaign, None, today=date(2025, 11, 21))
    assert in_period.total.passed == 0  # the period's last day: not final yet
    entry = PublishedResult.objects.get(application=world.past.seats[0].application)
    objection = factories.ObjectionFactory.create(entry=entry)
    assert stats.campaign_stats(campaign, None).total.passed == 0  # unanswered
    objection.answered_at = timezone.now()
    objection.answered_by = world.past.admin
    objection.upheld = False
    objection.save()
    assert stats.campaign_stats(campaign, None).total.passed == 2
    results.withdraw(entry, "材料不实", by=world.past.admin)
    assert stats.campaign_stats(campaign, None).total.passed == 1


def test_an_office_running_its_own_exams_counts_its_own_units(
    world, county_office, city_office
):
    campaign = world.past.campaign
    campaign.exams_run_by_city = False
    campaign.save(update_fields=["exams_run_by_city"])
    county = stats.campaign_stats(campaign, county_office)
    assert numbers(county.total) == (1, 0, 0, 0, None)
    assert [r.label for r in county.groups["unit"]] == [world.county_unit]
    city = stats.campaign_stats(campaign, city_office)
    assert numbers(city.total) == (8, 7, 5, 2, 40.0)


@pytest.mark.parametrize("extra", [0, 30])
def test_five_queries_whatever_the_number_of_applications(
    world, extra, django_assert_num_queries
):
    """The counts added up, those who sat and those who passed (by their
    ids), then the units' and job types' names."""
    campaign = world.past.campaign
    factories.ApplicationFactory.create_batch(
        extra, campaign=campaign, status=Status.QUALIFIED, level=3
    )
    with django_assert_num_queries(5):
        found = stats.campaign_stats(campaign, None)
    assert found.total.applied == 9 + extra


def url(user, **query: str) -> str:
    a = factories.assignment_of(user)
    return (
        reverse("certificates:stats", args=[a.pk])
        + "?"
        + "&".join(f"{k}={v}" for k, v in query.items())
    )


def test_the_page_shows_charts_and_numbers(client, world):
    admin = world.past.admin
    client.force_login(admin, backend=BACKEND)
    campaign = world.past.campaign
    response = client.get(url(admin, campaign=str(campaign.pk)))
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("level", "job_type", "unit", "division"):
        assert f'id="chart-{key}-data"' in page
    assert page.count("echarts.min.js") == 1
    assert "40.0%" in page and "统计口径" in page and world.county_unit in page
    overview = client.get(
        reverse("certificates:overview", args=[factories.assignment_of(admin).pk])
        + f"?campaign={campaign.pk}"
    ).content.decode()
    assert reverse("certificates:stats", args=[factories.assignment_of(admin).pk]) in (
        overview
    )


def test_the_excel_has_a_sheet_per_grouping_and_is_audited(client, world):
    admin = world.past.admin
    client.force_login(admin, backend=BACKEND)
    campaign = world.past.campaign
    response = client.get(url(admin, campaign=str(campaign.pk), export="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["按等级", "按工种", "按单位", "按地区"]
    rows = [list(r) for r in book["按等级"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[1:] == HEADER)
    assert rows[start][0] == "等级"
    assert rows[start + 1 :] == [
        ["一级（高级技师）", 2, 2, 1, 0, 0],
        ["四级（中级工）", 7, 5, 4, 2, 50],
        ["合计", 9, 7, 5, 2, 40],
    ]
    units = [list(r) for r in book["按单位"].iter_rows(values_only=True)]
    assert units[-1] == ["合计", 9, 7, 5, 2, 40]
    assert [world.county_unit, 1, 0, 0, 0, None] in units
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert event.actor_id == admin.pk and event.target_id == str(campaign.pk)
    assert event.after == {"what": "campaign_stats", "office": None, "rows": 9}


def test_404_for_a_county_office_a_clerk_and_an_applicant(
    client, world, county_admin, clerk
):
    campaign = world.past.campaign
    applicant = world.past.seats[0].application.applicant
    for user in (county_admin, clerk, applicant):
        client.force_login(user, backend=BACKEND)
        for query in ({}, {"export": "xlsx"}):
            response = client.get(url(user, campaign=str(campaign.pk), **query))
            assert response.status_code == 404, (user, query)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_a_county_office_running_its_own_exams_sees_its_own_units(
    client, world, county_admin
):
    campaign = world.past.campaign
    campaign.exams_run_by_city = False
    campaign.save(update_fields=["exams_run_by_city"])
    client.force_login(county_admin, backend=BACKEND)
    page = client.get(url(county_admin, campaign=str(campaign.pk))).content.decode()
    assert "温县工考办 · 截至" in page and world.county_unit in page
    assert "焦作市第一中学" not in page

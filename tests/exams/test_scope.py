"""Who plans whose exams (issue #14, point 7): the city office for the whole
city (the default), or, when the campaign says so, each office for its own
jurisdiction's candidates; another office's centre, sitting, room or class is
a 404."""

from __future__ import annotations

import pytest

from gongkao.applications.states import Status
from gongkao.exams.models import (
    AdmissionTicket,
    Room,
    SeatAssignment,
    Sitting,
    TestCentre,
)
from tests import factories
from tests.exams.conftest import BACKEND, _url

pytestmark = pytest.mark.django_db


def _candidates(campaign, unit, n):
    kind = factories.JobTypeFactory.create(electrician=True)
    return [
        factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=4,
            unit=unit,
            job_type=kind,
        )
        for _ in range(n)
    ]


def _build(client, user, campaign, name):
    """A centre, one room and a level-4 sitting through the office's pages."""
    client.force_login(user, backend=BACKEND)
    response = client.post(
        _url(user, "exams:add", "centre", campaign=campaign.pk),
        {"name": name, "address": "某地"},
    )
    assert response.status_code == 302
    centre = TestCentre.objects.get(name=name)
    client.post(
        _url(user, "exams:add", "room", campaign=campaign.pk),
        {
            "centre": centre.pk,
            "number": "01",
            "seats": 10,
            "spare_seats": 0,
            "row_length": 5,
        },
    )
    room = Room.objects.get(centre=centre)
    client.post(
        _url(user, "exams:add", "sitting", campaign=campaign.pk),
        {
            "name": f"{name}第一场",
            "date": "2025-06-14",
            "start_time": "09:00",
            "subjects": [s.pk for s in campaign.subjects.filter(level=4)],
            "rooms": [room.pk],
            "entry_opens_minutes": 30,
            "late_entry_minutes": 30,
            "earliest_submit_minutes": 30,
        },
    )
    return centre, room, Sitting.objects.get(name=f"{name}第一场")


def _allocate_lock_issue(client, user, campaign, capture):
    with capture(execute=True):
        assert (
            client.post(_url(user, "exams:allocate", campaign=campaign.pk)).status_code
            == 302
        )
    client.post(_url(user, "exams:lock", campaign=campaign.pk))
    client.post(_url(user, "exams:issue", campaign=campaign.pk))


def test_by_default_the_city_office_plans_the_whole_city(
    client,
    campaign,
    school,
    county_school,
    office_reviewer,
    county_reviewer,
    django_capture_on_commit_callbacks,
):
    city = _candidates(campaign, school, 2)
    county = _candidates(campaign, county_school, 3)
    _build(client, office_reviewer, campaign, "市考点")
    _allocate_lock_issue(
        client, office_reviewer, campaign, django_capture_on_commit_callbacks
    )
    seated = set(SeatAssignment.objects.values_list("application_id", flat=True))
    assert seated == {a.pk for a in city + county}
    assert AdmissionTicket.objects.count() == 5
    client.force_login(county_reviewer, backend=BACKEND)
    assert client.get(_url(county_reviewer, campaign=campaign.pk)).status_code == 404


def test_each_office_plans_its_own_jurisdiction(
    client,
    campaign,
    school,
    county_school,
    office_reviewer,
    county_reviewer,
    county_clerk,
    django_capture_on_commit_callbacks,
):
    campaign.exams_run_by_city = False
    campaign.save(update_fields=["exams_run_by_city"])
    city = _candidates(campaign, school, 2)
    county = _candidates(campaign, county_school, 3)
    c_centre, c_room, c_sitting = _build(client, office_reviewer, campaign, "市考点")
    w_centre, w_room, w_sitting = _build(client, county_reviewer, campaign, "温县考点")
    assert w_sitting.office.name == "温县工考办"
    # The county office's page shows its plan, not the city's.
    page = client.get(_url(county_reviewer, campaign=campaign.pk)).content.decode()
    assert "温县考点" in page and "市考点" not in page
    # Another office's centre and room are not choices: named errors, nothing saved.
    response = client.post(
        _url(county_reviewer, "exams:add", "room", campaign=campaign.pk),
        {"centre": c_centre.pk, "number": "09", "seats": 5, "spare_seats": 0},
    )
    assert "centre" in response.context["form"].errors
    response = client.post(
        _url(county_reviewer, "exams:add", "sitting", campaign=campaign.pk),
        {
            "name": "偷",
            "date": "2025-06-14",
            "start_time": "09:00",
            "rooms": [c_room.pk],
        },
    )
    assert "rooms" in response.context["form"].errors
    assert Room.objects.count() == 2 and Sitting.objects.count() == 2
    # Another office's sitting and room: 404, page and PDFs.
    for url in [
        _url(county_reviewer, "exams:room", c_sitting.pk, c_room.pk),
        _url(county_reviewer, "exams:room_pdf", c_sitting.pk, c_room.pk, "door"),
    ]:
        assert client.get(url + f"?campaign={campaign.pk}").status_code == 404
    _allocate_lock_issue(
        client, county_reviewer, campaign, django_capture_on_commit_callbacks
    )
    seated = dict(SeatAssignment.objects.values_list("application_id", "room_id"))
    assert seated == {a.pk: w_room.pk for a in county}
    # The county's lock leaves the city's plan open; the city seats its own.
    client.force_login(office_reviewer, backend=BACKEND)
    page = client.get(_url(office_reviewer, campaign=campaign.pk)).content.decode()
    assert "市考点" in page and "温县考点" not in page
    for url in [
        _url(office_reviewer, "exams:room", w_sitting.pk, w_room.pk),
        _url(office_reviewer, "exams:room_pdf", w_sitting.pk, w_room.pk, "signin"),
    ]:
        assert client.get(url + f"?campaign={campaign.pk}").status_code == 404
    _allocate_lock_issue(
        client, office_reviewer, campaign, django_capture_on_commit_callbacks
    )
    seated = dict(SeatAssignment.objects.values_list("application_id", "room_id"))
    assert seated == {a.pk: w_room.pk for a in county} | {a.pk: c_room.pk for a in city}
    numbers = list(AdmissionTicket.objects.values_list("number", flat=True))
    assert len(numbers) == 5 == len(set(numbers))
    # Another county's office (not of this city's plan) still sees nothing.
    other = factories.office_reviewer(
        factories.ExamOfficeFactory.create(
            name="新乡市工考办",
            division=factories.DivisionFactory.create(xinxiang=True),
        )
    )
    client.force_login(other, backend=BACKEND)
    assert client.get(_url(other, campaign=campaign.pk)).status_code == 404


def test_training_classes_follow_the_planning_office(
    client, campaign, school, county_school, city_office, county_office, county_clerk
):
    campaign.exams_run_by_city = False
    campaign.save(update_fields=["exams_run_by_city"])
    (candidate,) = _candidates(campaign, county_school, 1)
    city_class = factories.TrainingClassFactory.create(
        campaign=campaign, office=city_office, name="市培训班"
    )
    county_class = factories.TrainingClassFactory.create(
        campaign=campaign, office=county_office, name="温县培训班"
    )
    client.force_login(county_clerk, backend=BACKEND)
    url = _url(county_clerk, "exams:unit_training", campaign=campaign.pk)
    page = client.get(url).content.decode()
    assert "温县培训班" in page and "市培训班" not in page
    client.post(url, {"application": candidate.pk, "training_class": city_class.pk})
    assert not candidate.enrolments.exists()
    client.post(url, {"application": candidate.pk, "training_class": county_class.pk})
    assert candidate.enrolments.get().training_class == county_class

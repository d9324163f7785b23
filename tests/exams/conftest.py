"""The exam plan's test data: qualified candidates and a small plan."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.applications.states import Status
from gongkao.exams.models import Room, Sitting, Subject, TestCentre
from tests import factories

BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _url(user, name="exams:plan", *args, **query):
    url = reverse(name, args=[factories.assignment_of(user).pk, *args])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def qualified(campaign, school):
    """Twelve qualified level-4 candidates of two job types and three units."""
    units = [school, *factories.UnitFactory.create_batch(2, city_direct=True)]
    kinds = [
        factories.JobTypeFactory.create(electrician=True),
        factories.JobTypeFactory(),
    ]
    return [
        factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=4,
            unit=units[i % 3],
            job_type=kinds[i % 2],
        )
        for i in range(12)
    ]


def build_plan(client, user, campaign):
    client.force_login(user, backend=BACKEND)
    assert client.get(_url(user)).status_code == 200  # creates the subjects
    client.post(
        _url(user, "exams:add", "centre", campaign=campaign.pk),
        {"name": "焦作市职业技术学院考点", "address": "焦作市山阳区"},
    )
    centre = TestCentre.objects.get()
    for number in ["01", "02"]:
        client.post(
            _url(user, "exams:add", "room", campaign=campaign.pk),
            {
                "centre": centre.pk,
                "number": number,
                "seats": 8,
                "spare_seats": 1,
                "row_length": 4,
            },
        )
    subjects = Subject.objects.filter(campaign=campaign, level=4)
    response = client.post(
        _url(user, "exams:add", "sitting", campaign=campaign.pk),
        {
            "name": "第一场",
            "date": "2025-06-14",
            "start_time": "09:00",
            "subjects": [s.pk for s in subjects],
            "rooms": [r.pk for r in Room.objects.all()],
            "entry_opens_minutes": 30,
            "late_entry_minutes": 30,
            "earliest_submit_minutes": 30,
        },
    )
    assert response.status_code == 302
    return Sitting.objects.get()

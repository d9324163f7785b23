"""The exam plan pages (issue #14, first part): subjects, centres, rooms,
sittings, the seat allocation as a background task, the lock; scoped to the
office that plans the campaign."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkao.applications.states import Status
from gongkao.core.models import AuditEvent
from gongkao.exams.models import (
    ExamPlan,
    Room,
    SeatAssignment,
    Sitting,
    Subject,
    TestCentre,
)
from tests import factories
from tests.exams.conftest import build_plan

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"


def _url(user, name="exams:plan", *args, **query):
    url = reverse(name, args=[factories.assignment_of(user).pk, *args])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_office_builds_allocates_and_locks_the_plan(
    client, campaign, office_reviewer, qualified, django_capture_on_commit_callbacks
):
    sitting = build_plan(client, office_reviewer, campaign)
    assert Subject.objects.filter(campaign=campaign, level=1).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(office_reviewer, "exams:allocate", campaign=campaign.pk)
        )
    assert response.status_code == 302
    assert SeatAssignment.objects.count() == 12
    plan = ExamPlan.objects.get()
    assert plan.report["seats"] == 12 and plan.report["unseated_ids"] == []
    room = Room.objects.get(number="01")
    body = client.get(
        _url(office_reviewer, "exams:room", sitting.pk, room.pk, campaign=campaign.pk)
    ).content.decode()
    seated = SeatAssignment.objects.filter(room=room).select_related(
        "application__applicant"
    )
    assert all(s.application.applicant.name in body for s in seated)
    # Spare seats stay free: 7 usable of 8.
    assert seated.count() <= 7
    client.post(_url(office_reviewer, "exams:lock", campaign=campaign.pk))
    plan.refresh_from_db()
    assert plan.locked_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(office_reviewer, "exams:allocate", campaign=campaign.pk))
    response = client.post(
        _url(office_reviewer, "exams:add", "centre", campaign=campaign.pk),
        {"name": "又一考点", "address": "某地"},
    )
    assert not TestCentre.objects.filter(name="又一考点").exists()
    assert AuditEvent.objects.filter(target_type="exams.ExamPlan").count() == 2


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("centre", {"name": "考\x00点", "address": "x"}, "name"),
        ("centre", {"name": "考" * 500, "address": "x"}, "name"),
        ("centre", {"name": "同名考点", "address": "x"}, "name"),
        (
            "room",
            {"number": "01", "seats": 5, "spare_seats": 5, "row_length": 5},
            "spare_seats",
        ),
        (
            "sitting",
            {"name": "场", "date": "2030-01-01", "start_time": "09:00"},
            "date",
        ),
    ],
)
def test_bad_plan_input_is_named_and_nothing_saved(
    client, campaign, office_reviewer, kind, data, field
):
    client.force_login(office_reviewer, backend=BACKEND)
    client.get(_url(office_reviewer))
    if data.get("name") == "同名考点":
        factories.TestCentreFactory.create(campaign=campaign, name="同名考点")
    if kind == "room":
        data["centre"] = TestCentre.objects.create(
            campaign=campaign,
            office=office_reviewer.role_assignments.get().office,
            name="考点",
            address="地址",
        ).pk
    before = (TestCentre.objects.count(), Room.objects.count(), Sitting.objects.count())
    response = client.post(
        _url(office_reviewer, "exams:add", kind, campaign=campaign.pk), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (
        TestCentre.objects.count(),
        Room.objects.count(),
        Sitting.objects.count(),
    ) == before


def test_only_the_campaigns_office_plans_it(
    client, campaign, county_reviewer, clerk, applicant, office_reviewer
):
    for user in [county_reviewer]:
        client.force_login(user, backend=BACKEND)
        assert client.get(_url(user)).status_code == 404
    for user in [clerk, applicant]:
        client.force_login(user, backend=BACKEND)
        assignment = factories.assignment_of(user)
        assert (
            client.get(reverse("exams:plan", args=[assignment.pk])).status_code == 404
        )
    xinxiang = factories.DivisionFactory.create(xinxiang=True)
    other = factories.office_reviewer(
        factories.ExamOfficeFactory.create(name="新乡市工考办", division=xinxiang)
    )
    client.force_login(other, backend=BACKEND)
    assert client.get(_url(other, campaign=campaign.pk)).status_code == 404
    # Another campaign's room through this office's URL.
    client.force_login(office_reviewer, backend=BACKEND)
    own = _url(office_reviewer, "exams:room", 999, 999, campaign=campaign.pk)
    assert client.get(own).status_code == 404


def test_only_confirmed_theory_exemptions_leave_the_theory_seat(
    client, campaign, office_reviewer, county_reviewer
):
    from gongkao.exams.models import TestCentre as Centre
    from gongkao.exams.seating import allocate_seats, ensure_subjects

    ensure_subjects(campaign)
    office = office_reviewer.role_assignments.get().office
    centre = Centre.objects.create(
        campaign=campaign, office=office, name="考点", address="某地"
    )
    room = Room.objects.create(centre=centre, number="01", seats=10, spare_seats=0)
    theory = factories.SittingFactory.create(campaign=campaign)
    theory.subjects.set(Subject.objects.filter(campaign=campaign, level=1))
    theory.rooms.set([room])
    asking = [
        factories.ApplicationFactory.create(
            campaign=campaign,
            status=Status.QUALIFIED,
            level=1,
            eligibility={"eligible": True, "theory_exam_exempt": True},
        )
        for _ in range(3)
    ]
    client.force_login(office_reviewer, backend=BACKEND)
    url = _url(office_reviewer, "exams:exemptions", campaign=campaign.pk)
    page = client.get(url).content.decode()
    assert all(a.applicant.name in page for a in asking)
    client.post(
        url, {"application": asking[0].pk, "confirmed": "1", "note": "省级技术能手"}
    )
    client.post(url, {"application": asking[1].pk, "confirmed": "0"})
    client.post(url, {"application": asking[2].pk, "confirmed": "1", "note": "x\x00"})
    report = allocate_seats(campaign, by=office_reviewer)
    seated = set(SeatAssignment.objects.values_list("application_id", flat=True))
    # Confirmed: no theory seat; refused, or never validly confirmed: a seat.
    assert seated == {asking[1].pk, asking[2].pk} and report["seats"] == 2
    assert (
        client.post(url, {"application": 999999, "confirmed": "1"}).status_code == 404
    )
    client.force_login(county_reviewer, backend=BACKEND)
    assert client.get(_url(county_reviewer, "exams:exemptions")).status_code == 404


def test_pages_of_a_fresh_campaign_only_read(
    client, campaign, office_reviewer, django_assert_max_num_queries
):
    """A GET shows the default subjects and settings without writing a row;
    the first change stores the plan with its subjects."""
    client.force_login(office_reviewer, backend=BACKEND)
    for name in ["exams:plan", "exams:training", "exams:exemptions"]:
        response = client.get(_url(office_reviewer, name, campaign=campaign.pk))
        assert response.status_code == 200
    page = client.get(_url(office_reviewer, campaign=campaign.pk)).content.decode()
    assert "专业基础知识" in page and "岗位技能" in page
    assert not ExamPlan.objects.exists() and not Subject.objects.exists()
    client.post(
        _url(office_reviewer, "exams:add", "centre", campaign=campaign.pk),
        {"name": "考点", "address": "焦作市"},
    )
    assert ExamPlan.objects.count() == 1
    assert Subject.objects.filter(campaign=campaign).count() == 14


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 40, "١٢", "1\x00"])
def test_bad_ids_in_plan_parameters_are_404_or_a_message(
    client, campaign, office_reviewer, value
):
    client.force_login(office_reviewer, backend=BACKEND)
    response = client.get(_url(office_reviewer, job=value, campaign=campaign.pk))
    assert response.status_code == 404
    url = _url(office_reviewer, "exams:exemptions", campaign=campaign.pk)
    assert client.post(url, {"application": value}).status_code == 404


def test_pdf_response_names_a_chinese_file():
    from gongkao.core.pdf import pdf_response

    response = pdf_response(b"%PDF-1.7", "门贴-第01考场")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"01.pdf\"; filename*=UTF-8''"
        "%E9%97%A8%E8%B4%B4-%E7%AC%AC01%E8%80%83%E5%9C%BA.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    download = pdf_response(b"x", "准考证\r\n/x.pdf", inline=False)
    assert download["Content-Disposition"].startswith('attachment; filename="x.pdf"')

"""Training (issue #14, point 1): classes by the office, enrolment by the unit
or the candidate, the register, the Excel roster, and training required
before the exam."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkao.applications.states import Status
from gongkao.exams import training
from gongkao.exams.models import Enrolment, TrainingAttendance, TrainingClass
from gongkao.exams.seating import allocate_seats
from tests import factories
from tests.exams.conftest import BACKEND, _url, build_plan

pytestmark = pytest.mark.django_db


def _class(client, user, campaign, **changes):
    data = {
        "name": "四级电工培训班",
        "level": 4,
        "start_date": "2025-05-10",
        "end_date": "2025-05-11",
        "place": "焦作市职业技术学院",
        "teacher": "王老师",
        "capacity": 2,
    } | changes
    client.force_login(user, backend=BACKEND)
    return client.post(_url(user, "exams:training", campaign=campaign.pk), data)


def test_office_sets_up_a_class_and_bad_dates_are_named(
    client, campaign, office_reviewer
):
    response = _class(client, office_reviewer, campaign, end_date="2025-09-01")
    assert (
        "end_date" in response.context["form"].errors
        and not TrainingClass.objects.exists()
    )
    response = _class(client, office_reviewer, campaign, name="x\x00")
    assert "name" in response.context["form"].errors
    assert _class(client, office_reviewer, campaign).status_code == 302
    assert (
        TrainingClass.objects.get().office
        == office_reviewer.role_assignments.get().office
    )


def test_enrolment_rules_register_and_export(
    client, campaign, office_reviewer, clerk, qualified, school
):
    _class(client, office_reviewer, campaign)
    klass = TrainingClass.objects.get()
    mine = [a for a in qualified if a.unit_id == school.pk]
    url = _url(clerk, "exams:unit_training", campaign=campaign.pk)
    client.force_login(clerk, backend=BACKEND)
    for app in mine[:3]:
        client.post(url, {"application": app.pk, "training_class": klass.pk})
    assert Enrolment.objects.count() == 2  # capacity 2: the third refused
    # One class a year: a second class does not take the same candidate.
    other = factories.TrainingClassFactory.create(campaign=campaign, level=4)
    with pytest.raises(training.TrainingRefused, match="每人每年度"):
        training.enrol(other, mine[0], by=clerk)
    level3 = factories.TrainingClassFactory.create(campaign=campaign, level=3)
    with pytest.raises(training.TrainingRefused, match="等级或工种"):
        training.enrol(level3, mine[2], by=clerk)
    # Another unit's candidate is not in the clerk's form.
    foreign = next(a for a in qualified if a.unit_id != school.pk)
    client.post(url, {"application": foreign.pk, "training_class": other.pk})
    assert not Enrolment.objects.filter(application=foreign).exists()
    # The office's register and the Excel roster.
    client.force_login(office_reviewer, backend=BACKEND)
    class_url = _url(
        office_reviewer, "exams:training_class", klass.pk, campaign=campaign.pk
    )
    client.post(
        class_url, {"date": "2025-05-10", "start_time": "08:30", "topic": "职业道德"}
    )
    session = klass.sessions.get()
    first, second = Enrolment.objects.filter(training_class=klass).order_by("pk")
    client.post(class_url, {"session": session.pk, "present": [first.pk]})
    marks = dict(TrainingAttendance.objects.values_list("enrolment_id", "present"))
    assert marks == {first.pk: True, second.pk: False}
    book = load_workbook(BytesIO(client.get(class_url + "&format=xlsx").content))
    text = " ".join(
        str(c) for row in book.active.iter_rows(values_only=True) for c in row
    )
    assert first.application.applicant.name in text and "到" in text and "缺" in text


def test_a_candidate_enrols_themselves(client, in_window, campaign, applicant, school):
    app = factories.submitted_application(applicant, unit=school, campaign=campaign)
    type(app).objects.filter(pk=app.pk).update(status=Status.QUALIFIED)
    klass = factories.TrainingClassFactory.create(campaign=campaign, level=4)
    client.force_login(applicant, backend=BACKEND)
    page = client.get(reverse("exams:my_training")).content.decode()
    assert klass.name in page
    client.post(reverse("exams:my_training"), {"class": klass.pk})
    assert Enrolment.objects.get().application == app
    assert "已报名" in client.get(reverse("exams:my_training")).content.decode()
    assert client.post(reverse("exams:my_training"), {"class": 999}).status_code == 404


def test_training_required_leaves_the_untrained_unseated(
    client, campaign, office_reviewer, qualified
):
    build_plan(client, office_reviewer, campaign)
    client.post(
        _url(office_reviewer, "exams:training", campaign=campaign.pk), {"required": "1"}
    )
    klass = factories.TrainingClassFactory.create(campaign=campaign, level=4)
    session = factories.TrainingSessionFactory.create(training_class=klass)
    enrolment = training.enrol(klass, qualified[0], by=office_reviewer)
    training.save_register(session, {enrolment.pk}, by=office_reviewer)
    report = allocate_seats(campaign, by=office_reviewer)
    assert report["seats"] == 1 and report["not_trained"] == 11


def test_training_pages_are_scoped(
    client, campaign, county_reviewer, county_clerk, clerk
):
    klass = factories.TrainingClassFactory.create(campaign=campaign)
    client.force_login(county_reviewer, backend=BACKEND)
    assert client.get(_url(county_reviewer, "exams:training")).status_code == 404
    url = _url(county_reviewer, "exams:training_class", klass.pk)
    assert client.get(url).status_code == 404
    client.force_login(clerk, backend=BACKEND)
    assert client.get(reverse("exams:my_training")).status_code == 404


def test_training_is_recorded_on_the_candidates_file(
    client, campaign, school, office_reviewer
):
    """The class, sessions attended of those held, and whether training is
    completed (every session, or the class's minimum), on the review page the
    office sees and on the candidate's own page."""
    application = factories.ApplicationFactory.create(
        campaign=campaign, status=Status.QUALIFIED, level=4, unit=school
    )
    klass = factories.TrainingClassFactory.create(
        campaign=campaign, name="四级电工培训班", min_sessions=2
    )
    sessions = factories.TrainingSessionFactory.create_batch(3, training_class=klass)
    enrolment = factories.EnrolmentFactory.create(
        training_class=klass, application=application
    )
    for session, present in zip(sessions, [True, True, False], strict=True):
        factories.TrainingAttendanceFactory.create(
            session=session, enrolment=enrolment, present=present
        )
    record = training.record_of(application)
    assert record is not None
    assert (record.attended, record.total, record.needed) == (2, 3, 2)
    assert record.completed
    client.force_login(office_reviewer, backend=BACKEND)
    page = client.get(
        _url(office_reviewer, "review:review", application.pk)
    ).content.decode()
    assert "培训记录" in page and "2/3次（须到课2次）" in page and "已完成培训" in page
    client.force_login(application.applicant, backend=BACKEND)
    page = client.get(reverse("exams:my_training")).content.decode()
    assert "2/3次" in page and "已完成培训" in page
    # Without a minimum every session counts: not completed.
    klass.min_sessions = None
    klass.save(update_fields=["min_sessions"])
    record = training.record_of(application)
    assert record is not None and not record.completed and record.needed == 3
    page = client.get(reverse("exams:my_training")).content.decode()
    assert "2/3次" in page and "未完成培训" in page
    # No class, no record; a class without sessions is not completed.
    other = factories.ApplicationFactory.create(campaign=campaign, unit=school)
    assert training.record_of(other) is None
    factories.EnrolmentFactory.create(
        training_class=factories.TrainingClassFactory.create(campaign=campaign),
        application=other,
    )
    empty = training.record_of(other)
    assert empty is not None and empty.total == 0 and not empty.completed

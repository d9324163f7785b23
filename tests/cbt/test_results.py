"""After the sitting: item analysis, voiding a question before release, the
office's results page, the proctor's console and its scoping."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkao.accounts.models import Role, RoleAssignment
from gongkao.cbt import queries, services
from gongkao.cbt.models import Attempt, IrregularityCategory, ScoreRelease
from gongkao.core.models import AuditEvent
from gongkao.questions.models import Question
from tests import factories
from tests.cbt.conftest import BACKEND, at, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def sat(exam, duty):
    """Three candidates sat 职业道德: the first answered all correctly, the
    second half, the third nothing."""
    logins = [log_in(exam, n) for n in range(3)]
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 0))
    for n, found in enumerate(logins):
        attempt = Attempt.objects.get(seat=exam.seats[n], order=1)
        questions = Question.objects.in_bulk([i[0] for i in attempt.paper.items])
        for position, item in enumerate(attempt.paper.items, start=1):
            if n == 0 or (n == 1 and position % 2):
                services.save_answer(
                    found.pk,
                    1,
                    attempt.pk,
                    position,
                    questions[item[0]].answer,
                    marked=False,
                    seq=position,
                    now=at(exam, 5),
                )
        services.submit(attempt, now=at(exam, 40))
    return exam


def test_item_analysis_on_the_sitting(sat):
    rows = queries.item_analysis(sat.sitting)
    assert rows
    for row in rows:
        stats = row["stats"]
        assert 1 <= stats.n <= 3  # papers draw their own questions
        assert 0 <= stats.facility <= 1
        assert list(stats.options)[-1] == "unanswered"
        assert sum(stats.options.values()) >= stats.n
    scores = sorted(
        Attempt.objects.filter(order=1, state="submitted").values_list(
            "score", flat=True
        )
    )
    assert scores[0] == Decimal("0.0") and scores[-1] == Decimal("100.0")


def test_voiding_a_question_rescores_and_is_refused_after_release(sat, office_reviewer):
    attempt = Attempt.objects.get(seat=sat.seats[2], order=1)
    question = Question.objects.get(pk=attempt.paper.items[0][0])
    points = Decimal(attempt.paper.items[0][2])
    count = services.void_question(
        sat.sitting, question, "award", "答案有误", by=office_reviewer
    )
    attempt.refresh_from_db()
    assert attempt.score == points  # the third candidate now has that question's points
    assert count >= 1
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CBT_ACTION, after__action="void_question"
    ).exists()
    with pytest.raises(services.Refused, match="已作废"):
        services.void_question(
            sat.sitting, question, "award", "again", by=office_reviewer
        )
    other = Question.objects.get(pk=attempt.paper.items[1][0])
    ScoreRelease.objects.create(
        sitting=sat.sitting, released_at=at(sat, 120), released_by=office_reviewer
    )
    with pytest.raises(services.Refused, match="成绩已发布"):
        services.void_question(sat.sitting, other, "rescale", "x", by=office_reviewer)


def test_rescale_keeps_full_marks(sat, office_reviewer):
    best = Attempt.objects.get(seat=sat.seats[0], order=1)
    question = Question.objects.get(pk=best.paper.items[0][0])
    services.void_question(sat.sitting, question, "rescale", "超纲", by=office_reviewer)
    best.refresh_from_db()
    assert best.score == Decimal("100.0")


def test_the_office_results_page_and_its_excel(client, sat, office_reviewer):
    client.force_login(office_reviewer, backend=BACKEND)
    assignment = RoleAssignment.objects.get(user=office_reviewer)
    url = (
        reverse("cbt:results", args=[assignment.pk, sat.sitting.pk])
        + f"?campaign={sat.campaign.pk}"
    )
    page = client.get(url)
    assert page.status_code == 200 and "区分度" in page.content.decode()
    question = Question.objects.get(
        pk=Attempt.objects.filter(order=1).first().paper.items[0][0]
    )
    response = client.post(
        url, {"question": question.pk, "mode": "award", "reason": "答案有误"}
    )
    assert response.status_code == 302
    assert "已作废" in client.get(url).content.decode()
    bad = client.post(url, {"question": "abc", "mode": "award", "reason": "x"})
    assert bad.status_code == 302
    nul = client.post(url, {"question": question.pk, "mode": "award", "reason": "\x00"})
    assert nul.status_code == 302
    xlsx = client.get(
        reverse("cbt:analysis_xlsx", args=[assignment.pk, sat.sitting.pk])
        + f"?campaign={sat.campaign.pk}"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert next(sheet.iter_rows(max_row=1, values_only=True))[0] == "编号"
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, after__what="item_analysis"
    ).exists()


def test_other_offices_and_roles_get_404_on_results(
    client, sat, county_admin, clerk, duty
):
    for user in (county_admin, clerk, duty.user):
        client.force_login(user, backend=BACKEND)
        assignment = RoleAssignment.objects.filter(user=user).first()
        assert assignment is not None
        url = (
            reverse("cbt:results", args=[assignment.pk, sat.sitting.pk])
            + f"?campaign={sat.campaign.pk}"
        )
        assert client.get(url).status_code == 404


def test_the_console_shows_the_room_and_acts(client, exam, duty):
    log_in(exam, 0)
    client.force_login(duty.user, backend=BACKEND)
    url = reverse("cbt:console", args=[duty.pk])
    assert exam.seats[0].application.applicant.name in client.get(url).content.decode()
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    seat = exam.seats[0]
    action = reverse("cbt:seat_action", args=[duty.pk, seat.pk, "extra"])
    client.post(
        action, {"minutes": "5", "reason": "x"}
    )  # not started yet: refused, no 500
    category = IrregularityCategory.objects.filter(active=True).first()
    assert category is not None  # the defaults of 人社部令第31号
    client.post(
        reverse("cbt:seat_action", args=[duty.pk, seat.pk, "irregularity"]),
        {"category": category.pk, "note": "携带手机"},
    )
    assert seat.irregularities.count() == 1
    assert (
        client.post(
            reverse("cbt:seat_action", args=[duty.pk, seat.pk, "dance"])
        ).status_code
        == 404
    )
    report = client.get(reverse("cbt:room_report", args=[duty.pk]))
    assert report["Content-Type"] == "application/pdf" and report.content.startswith(
        b"%PDF"
    )


def test_another_proctor_or_room_is_a_404(client, exam, duty, city_office):
    other = factories.staff(Role.PROCTOR, office=city_office)
    client.force_login(other, backend=BACKEND)
    assert client.get(reverse("cbt:console", args=[duty.pk])).status_code == 404
    assert (
        client.post(reverse("cbt:room_action", args=[duty.pk, "start"])).status_code
        == 404
    )
    client.force_login(duty.user, backend=BACKEND)
    stranger = factories.SeatAssignmentFactory.create()
    assert (
        client.post(
            reverse("cbt:seat_action", args=[duty.pk, stranger.pk, "pause"])
        ).status_code
        == 404
    )

"""Issue 11, point 4: the status page says what happens next for every status,
never shows a past date as the next deadline, and the closed window points to
an extension asked by the unit."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from gongkao.applications import services
from gongkao.applications.queries import next_step
from gongkao.applications.states import Status
from gongkao.campaigns.models import FeeRate
from tests.factories import fill_level4_application

pytestmark = pytest.mark.django_db
BACKEND = "gongkao.accounts.backends.PhoneOrIdNumberBackend"
IN_WINDOW = date(2025, 3, 20)


@pytest.fixture
def application(applicant, school, campaign, city_office):
    city_office.address = "焦作市解放区民主南路1号"
    city_office.phone = "0391-8826970"
    city_office.save()
    FeeRate.objects.filter(campaign=campaign, level=4).update(amount=Decimal("120"))
    return fill_level4_application(applicant, unit=school, campaign=campaign)


@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize(
    "today", [date(2025, 3, 1), IN_WINDOW, date(2025, 4, 20), date(2026, 1, 5)]
)
def test_every_status_has_a_next_step_and_no_past_deadline(application, status, today):
    application.status = status
    application.resubmit_by = date(2025, 3, 24)
    step = next_step(application, today)
    assert step.text
    assert step.deadline is None or step.deadline >= today


def test_onsite_check_says_what_to_bring_where_and_by_when(application):
    application.status = Status.ONSITE_CHECK
    step = next_step(application, IN_WINDOW)
    details = "\n".join(step.details)
    assert "居民身份证" in details and "等级证书" in details
    assert "证件照" not in details  # a photo has no original
    assert "焦作市解放区民主南路1号" in details and "0391-8826970" in details
    assert "120元" in details
    assert step.deadline == application.campaign.review_end


def test_onsite_check_without_an_address_says_to_ask(application, city_office):
    city_office.address = ""
    city_office.save()
    application.status = Status.ONSITE_CHECK
    assert "办公地点请电话询问" in "\n".join(next_step(application, IN_WINDOW).details)


def test_a_closed_window_names_the_extension_a_unit_can_ask_for(application):
    step = next_step(application, date(2025, 4, 5))
    assert "延期" in step.text and "单位" in step.text
    assert step.deadline is None


def test_an_extension_moves_the_draft_deadline(application):
    application.extended_until = date(2025, 4, 8)
    step = next_step(application, date(2025, 4, 5))
    assert step.deadline == date(2025, 4, 8)


def test_a_returned_file_past_its_deadline_shows_no_date(application):
    application.status = Status.RETURNED
    application.resubmit_by = IN_WINDOW - timedelta(days=1)
    step = next_step(application, IN_WINDOW)
    assert step.deadline is None and "已过" in step.text


def test_status_page_shows_the_next_step(client, application, applicant):
    client.force_login(applicant, backend=BACKEND)
    with time_machine.travel("2025-04-05 10:00 +0800", tick=False):
        body = client.get(reverse("applications:status")).content.decode()
        assert "下一步" in body and "申请延期" in body
        assert "2025年3月31日" not in body  # the closed window's end is not "next"
        overview = client.get(reverse("applications:overview")).content.decode()
        assert "可由所在单位向工考办申请延期报名" in overview


def test_submitting_after_the_window_says_the_unit_can_ask(
    client, application, applicant
):
    with (
        time_machine.travel("2025-04-05 10:00 +0800", tick=False),
        pytest.raises(services.SubmissionRefused) as refused,
    ):
        services.submit_application(application, by=applicant)
    assert any("申请延期" in message for _, message in refused.value.problems)

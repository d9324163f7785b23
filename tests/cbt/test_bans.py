"""An irregularity whose category carries a ban (禁考) bars the person from
applying in later campaigns until it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gongkao.applications import services as applications
from gongkao.applications.models import ExamBan
from gongkao.cbt import services
from tests import factories
from tests.cbt.conftest import at

pytestmark = pytest.mark.django_db


def _barred(problems: list[tuple[str, str]]) -> bool:
    return any("不得申报考核" in message for _, message in problems)


def test_a_category_with_a_ban_bars_the_person_until_it_ends(exam, duty):
    category = factories.IrregularityCategoryFactory.create(
        act="由他人冒名代替参加考试", voids="all", ban_years=3
    )
    seat = exam.seats[0]
    when = at(exam, 5)
    services.record_irregularity(
        seat, category, "与准考证照片不符", by=duty.user, now=when
    )
    ban = ExamBan.objects.get(user=seat.application.applicant)
    day = when.date()
    assert ban.until == day.replace(year=day.year + 3)
    later = factories.ApplicationFactory.create(
        applicant=seat.application.applicant,
        campaign=factories.CampaignFactory.create(year=2026),
    )
    problems = applications.submission_problems(later, ban.until)
    assert _barred(problems)
    assert any("由他人冒名代替参加考试" in message for _, message in problems)
    assert not _barred(
        applications.submission_problems(later, ban.until + timedelta(days=1))
    )


def test_a_category_without_a_ban_bars_nobody(exam, duty):
    category = factories.IrregularityCategoryFactory.create()
    services.record_irregularity(
        exam.seats[0], category, "旁窥", by=duty.user, now=at(exam, 5)
    )
    assert not ExamBan.objects.exists()

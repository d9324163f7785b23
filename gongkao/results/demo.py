"""The demo's results: 焦作市's finished 2025 sittings released, one re-check
asked and answered, and a publication with an answered objection whose
period is over, so the pass notices can be printed (idempotent). Everything
goes through the services with explicit times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gongkao.accounts.models import User
from gongkao.campaigns.models import Campaign
from gongkao.cbt.models import Attempt
from gongkao.exams.models import Sitting
from gongkao.organizations.models import ExamOffice
from gongkao.panels.models import ReviewSession
from gongkao.results import services
from gongkao.results.models import SubjectScore


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def seed_results() -> int:
    """Returns the number of scores released (0 when they were already)."""
    campaign = Campaign.objects.filter(year=2025, division__code="410800").first()
    office = ExamOffice.objects.filter(division__code="410800").order_by("pk").first()
    admin = User.objects.filter(username="admin").first()
    if (
        campaign is None
        or office is None
        or admin is None
        or SubjectScore.objects.filter(application__campaign=campaign).exists()
    ):
        return 0
    released = 0
    last = None
    for sitting in Sitting.objects.filter(campaign=campaign).order_by("date", "pk"):
        if not Attempt.objects.filter(seat__sitting=sitting).exists():
            continue
        last = sitting.date + timedelta(days=4)
        released += services.release_sitting(sitting, by=admin, now=_at(last))
    if last is None:
        return 0
    score = (
        SubjectScore.objects.filter(
            application__campaign=campaign, score__isnull=False, voided=""
        )
        .select_related("application__applicant")
        .order_by("score", "pk")
        .first()
    )
    if score is not None:
        recheck = services.ask_recheck(
            score,
            "考试时确认已作答全部试题，成绩低于预期，申请复查。",
            by=score.application.applicant,
            now=_at(last + timedelta(days=1), 9),
        )
        services.answer_recheck(
            recheck,
            "经核对作答记录和评分，成绩计算无误。",
            by=admin,
            now=_at(last + timedelta(days=3), 15),
        )
    # A week after the panel's last session closed (the panels' demo), so
    # level one is in the list too.
    held = (
        ReviewSession.objects.filter(panel__campaign=campaign, closed_at__isnull=False)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    published = (held or last) + timedelta(days=7)
    try:
        publication = services.publish(
            campaign,
            None if campaign.exams_run_by_city else office,
            office,
            by=admin,
            now=_at(published),
        )
    except services.Refused:
        return released
    entry = publication.entries.order_by("number").first()
    if entry is not None:
        objection = services.file_objection(
            entry,
            "反映该同志近年在单位长期病休，业绩材料可能不实。",
            "王先生",
            "13912345678",
            now=_at(published + timedelta(days=1), 11),
        )
        services.answer_objection(
            objection,
            False,
            "经向所在单位核实，该同志考核年度内正常在岗，业绩材料经单位公示无异议，异议不成立。",
            by=admin,
            now=_at(published + timedelta(days=3), 16),
        )
    return released

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongkao.accounts.models import Role, RoleAssignment, User
from gongkao.campaigns.models import Campaign, FeeRate, JobType
from gongkao.organizations.models import Division, ExamOffice, Unit, UnitCategory

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_2025_jiaozuo_campaign(demo):
    # 焦作市 (12 divisions), 新乡市 (6) and the province above them.
    assert Division.objects.count() == 19
    assert ExamOffice.objects.count() == 12
    assert Unit.objects.count() >= 50
    assert set(Unit.objects.values_list("category", flat=True)) == set(
        UnitCategory.values
    )
    assert Unit.objects.filter(subordinate_units__isnull=False).distinct().count() >= 10
    campaign = Campaign.objects.get(division__code="410800")
    assert campaign.policy_id == "2025-jiaozuo"
    assert str(campaign.registration_start) == "2025-03-13"
    assert str(campaign.online_review_deadline) == "2025-04-02"
    assert str(campaign.deferred_materials_deadline) == "2025-06-30"
    # Demo figures per level (五级 the cheapest), so on-site totals are real.
    fees = dict(
        FeeRate.objects.filter(campaign__division__code="410800").values_list(
            "level", "amount"
        )
    )
    assert all(amount > 0 for amount in fees.values())
    assert [fees[level] for level in (5, 4, 3, 2, 1)] == sorted(fees.values())
    assert FeeRate.objects.count() == 10
    assert JobType.objects.filter(is_starter=True).count() >= 40
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(
        Role.values
    )


def test_seed_demo_builds_a_second_city_side_by_side(demo):
    xinxiang = Campaign.objects.get(division__code="410700")
    assert xinxiang.year == 2025 and xinxiang.division.parent.code == "410000"
    assert Unit.objects.filter(division__parent=xinxiang.division).exists()
    assert ExamOffice.objects.filter(name="新乡市工考办").exists()
    # Each city's lines name its own division: no "anywhere" line.
    from gongkao.organizations.models import Jurisdiction

    assert Jurisdiction.objects.filter(division=xinxiang.division).count() == 3


def test_seed_demo_is_idempotent_and_keeps_edits(demo, capsys):
    call_command("seed_demo", applications=3)
    user = User.objects.get(username="admin")
    user.name = "改过的名字"
    user.save()
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
    ) == counts
    assert User.objects.get(username="admin").name == "改过的名字"
    assert "13800000021" in capsys.readouterr().out


def test_seed_demo_command_adds_applications_in_several_statuses(
    demo, settings, tmp_path, client
):
    from gongkao.applications.models import Application
    from gongkao.applications.states import Status

    call_command("seed_demo", applications=120)
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {
        Status.QUALIFIED,
        Status.ONSITE_CHECK,
        Status.DRAFT,
        Status.UNIT_REVIEW,
        Status.RETURNED,
        Status.DEPARTMENT_REVIEW,
        Status.QUALIFICATION_REVIEW,
    } <= statuses
    # The demo applicant may submit although the 2025 window is over.
    zhang = Application.objects.get(applicant__name="张建国")
    assert zhang.extended_until is not None and zhang.extension_reason
    from gongkao.review.models import Batch

    assert {
        "open",
        "online_review_complete",
        "rosters_printed",
        "scans_uploaded",
        "department_stamped",
        "closed",
    } <= set(Batch.objects.values_list("state", flat=True))
    # 焦作市's qualified applicants have seats in the demo's exam plan.
    from gongkao.exams.models import SeatAssignment

    seated = SeatAssignment.objects.values_list("application__status", flat=True)
    assert seated and set(seated) == {Status.QUALIFIED}
    from gongkao.exams.models import TrainingAttendance

    assert TrainingAttendance.objects.filter(present=True).exists()
    finished = _assert_the_finished_computer_based_sitting(client)
    results = _assert_the_results()
    count = Application.objects.count()
    call_command("seed_demo", applications=10)
    assert Application.objects.count() == count
    # Sat once: a second run adds no login, answer or score.
    assert _cbt_counts() == finished
    assert _assert_the_results() == results


def _assert_the_results() -> tuple[int, ...]:
    """Released scores, an answered re-check and a publication whose period
    is over, with an answered objection (so the notices can be printed);
    certificates for those who passed, one reissued and one revoked."""
    from gongkao.results import queries
    from gongkao.results.models import Objection, Publication, Recheck, SubjectScore

    publication = Publication.objects.get()
    assert queries.is_final(publication)
    assert publication.entries.filter(level=1).exists()
    assert Recheck.objects.filter(answered_at__isnull=False).count() == 1
    assert Objection.objects.filter(answered_at__isnull=False).count() == 1
    from gongkao.certificates.models import Certificate

    statuses = list(Certificate.objects.values_list("status", flat=True))
    assert statuses.count("revoked") == 1 and statuses.count("replaced") == 1
    valid = Certificate.objects.filter(status="valid").first()
    assert valid is not None and valid.held is not None and valid.held.issued
    return (
        SubjectScore.objects.count(),
        publication.entries.count(),
        Certificate.objects.count(),
    )


def _cbt_counts() -> tuple[int, ...]:
    from gongkao.cbt.models import Answer, Attempt, ExamLogin, Irregularity

    return (
        ExamLogin.objects.count(),
        Attempt.objects.count(),
        Answer.objects.count(),
        Irregularity.objects.count(),
    )


def _assert_the_finished_computer_based_sitting(client) -> tuple[int, ...]:
    """焦作市's 五至二级 sitting was sat: every candidate but one logged in
    and has scores, one irregularity, an item analysis with flags; the
    proctor's console and the office's results page show them."""
    from django.urls import reverse

    from gongkao.cbt import queries
    from gongkao.cbt.models import Attempt, ExamLogin, Irregularity
    from gongkao.exams.models import ProctorAssignment, SeatAssignment, Sitting

    sitting = Sitting.objects.get(
        campaign__division__code="410800", name="第一场（五至二级）"
    )
    seats = SeatAssignment.objects.filter(sitting=sitting)
    logins = ExamLogin.objects.filter(seat__sitting=sitting)
    assert logins.count() == seats.count() - 1
    attempts = Attempt.objects.filter(seat__sitting=sitting)
    assert attempts.count() == 3 * logins.count()
    assert not attempts.exclude(state=Attempt.State.SUBMITTED).exists()
    assert not attempts.filter(score__isnull=True).exists()
    scores = {a.score or 0 for a in attempts}
    assert len(scores) > 10 and min(scores) < 60 < max(scores)
    assert attempts.filter(ending=Attempt.Ending.TIME_UP).exists()
    irregularity = Irregularity.objects.get(seat__sitting=sitting)
    assert attempts.exclude(voided="").get() == irregularity.attempt
    rows = queries.item_analysis(sitting)
    assert rows
    flags = {flag for row in rows for flag in row["stats"].flags}
    assert {"过难", "过易"} <= flags
    # The proctor of room 01: from the door page to a finished console.
    proctor = User.objects.get(username="demo-13800000071")
    duty = ProctorAssignment.objects.get(user=proctor, sitting=sitting)
    client.force_login(proctor)
    door = client.get(reverse("exams:door", args=[duty.pk])).content.decode()
    console = reverse("cbt:console", args=[duty.pk])
    assert console in door
    page = client.get(console).content.decode()
    assert "已交卷" in page and "成绩无效" in page
    assert page.count("未入场") == 1  # the absent candidate
    # The office: from the exam plan to the scores and the item analysis.
    admin = User.objects.get(username="demo-13800000001")
    assignment = RoleAssignment.objects.get(user=admin, role=Role.OFFICE_ADMIN)
    client.force_login(admin)
    campaign = f"?campaign={sitting.campaign_id}"
    plan = client.get(reverse("exams:plan", args=[assignment.pk]) + campaign)
    results = reverse("cbt:results", args=[assignment.pk, sitting.pk])
    assert results in plan.content.decode()
    page = client.get(results + campaign).content.decode()
    assert "试题分析" in page and "过难" in page and "考生成绩" in page
    return _cbt_counts()

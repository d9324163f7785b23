"""Release, re-checks, the score import, publication and objections: the
working-day windows at their edges, all-or-nothing import, and who passed
changing only through a recorded decision."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from gongkao.cbt import services as cbt_services
from gongkao.cbt.models import Attempt
from gongkao.core.models import AuditEvent, Notification
from gongkao.results import queries, services
from gongkao.results.models import Publication, Recheck, SubjectScore
from gongkao.results.passing import State
from tests import factories
from tests.results.conftest import Past, aware

pytestmark = pytest.mark.django_db

RELEASED = date(2025, 9, 30)  # a Tuesday before the National Day holiday


def release(past: Past, day: date = RELEASED) -> int:
    return release_at(past, aware(day))


def release_at(past: Past, now: datetime) -> int:
    return services.release_sitting(past.sitting, by=past.admin, now=now)


def score_of(past: Past, n: int, subject) -> SubjectScore:
    return SubjectScore.objects.get(
        application=past.seats[n].application, subject=subject
    )


def state(past: Past, n: int) -> State:
    return queries.verdict_of(past.seats[n].application).state


# ---- release ----


def test_release_copies_each_seat_and_subject(past):
    assert release(past) == 8
    assert score_of(past, 0, past.skill).score == 100
    assert score_of(past, 1, past.skill).score == 0
    assert score_of(past, 2, past.ethics).score is None  # 缺考
    assert score_of(past, 3, past.skill).voided == "考试中旁窥"
    assert [state(past, n) for n in range(4)] == [
        State.PASSED,
        State.FAILED,
        State.FAILED,
        State.FAILED,
    ]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RESULTS_ACTION, after__action="release"
    ).exists()


def test_before_release_everyone_is_pending(past):
    assert state(past, 0) is State.PENDING
    assert queries.tally(past.campaign, None)["pending"] == 5


def test_the_tally_counts_what_each_verdict_says(past):
    """The tally counts the candidates with nothing to judge in SQL as
    pending; it must agree with every verdict read one by one."""
    release(past)
    everyone = queries.candidates(past.campaign, None)
    expected = {s.value: 0 for s in State}
    for found in queries.verdicts(everyone).values():
        expected[found.state.value] += 1
    assert queries.tally(past.campaign, None) == expected
    # The paper candidate has no score yet: pending, counted in SQL.
    assert expected == {"passed": 1, "failed": 3, "pending": 1}


def test_release_is_once_and_then_no_question_can_be_voided(past):
    release(past)
    with pytest.raises(services.Refused, match="已发布"):
        release(past)
    question = Attempt.objects.filter(seat=past.seats[0]).first().paper.items[0][0]
    from gongkao.questions.models import Question

    with pytest.raises(cbt_services.Refused, match="成绩已发布"):
        cbt_services.void_question(
            past.sitting,
            Question.objects.get(pk=question),
            "award",
            "答案有误",
            by=past.admin,
        )


def test_release_waits_for_everyone_to_finish(past):
    attempt = Attempt.objects.get(seat=past.seats[0], subject=past.skill)
    attempt.state = Attempt.State.ANSWERING
    attempt.started_at = timezone.now()
    attempt.save()
    with pytest.raises(services.Refused, match="还有考生在作答"):
        services.release_sitting(past.sitting, by=past.admin, now=timezone.now())
    assert not SubjectScore.objects.exists()


def test_a_sitting_not_yet_held_cannot_be_released(past):
    # 09:00 start, 30 minutes' late entry (the default), two 60-minute subjects.
    ends = timezone.make_aware(datetime(2025, 6, 13, 11, 30))
    with pytest.raises(services.Refused, match="尚未结束"):
        services.release_sitting(
            past.sitting, by=past.admin, now=ends - timedelta(minutes=1)
        )
    assert release_at(past, ends) == 8


# ---- re-checks ----


def test_the_recheck_window_counts_working_days_across_the_holiday(past):
    release(past)
    score = score_of(past, 1, past.skill)
    # 10-01..10-08 are holidays, 10-11 (Saturday) is a make-up working day:
    # 9, 10, 11, 13, 14 October are the five working days.
    assert queries.recheck_closes(score) == date(2025, 10, 14)
    with pytest.raises(services.Refused, match="2025年10月14日截止"):
        services.ask_recheck(
            score,
            "请核对",
            by=score.application.applicant,
            now=aware(date(2025, 10, 15)),
        )
    found = services.ask_recheck(
        score,
        "请核对",
        by=score.application.applicant,
        now=aware(date(2025, 10, 14), 17),
    )
    # Answered within 7 working days: 15, 16, 17, 20, 21, 22, 23 October.
    assert found.due_on == date(2025, 10, 23)


def test_a_recheck_is_once_per_subject_and_not_for_an_absence(past):
    release(past)
    score = score_of(past, 1, past.skill)
    services.ask_recheck(
        score, "请核对", by=score.application.applicant, now=aware(RELEASED, 15)
    )
    with pytest.raises(services.Refused, match="只能申请一次"):
        services.ask_recheck(
            score, "再次", by=score.application.applicant, now=aware(RELEASED, 16)
        )
    absent = score_of(past, 2, past.skill)
    with pytest.raises(services.Refused, match="缺考"):
        services.ask_recheck(
            absent, "请核对", by=absent.application.applicant, now=aware(RELEASED, 15)
        )


def test_a_recheck_recomputes_from_the_recorded_answers(past):
    # The stored score was wrong: the answer on record earns 100.
    attempt = Attempt.objects.get(seat=past.seats[1], subject=past.ethics)
    attempt.score = Decimal("40")
    attempt.save()
    release(past)
    assert state(past, 1) is State.FAILED
    score = score_of(past, 1, past.ethics)
    recheck = services.ask_recheck(
        score, "请核对", by=score.application.applicant, now=aware(RELEASED, 15)
    )
    with pytest.raises(services.Refused, match="不能手工填写"):
        services.answer_recheck(recheck, "核对", corrected=Decimal("99"), by=past.admin)
    answered = services.answer_recheck(recheck, "按作答记录重新计算", by=past.admin)
    assert answered.outcome == Recheck.Outcome.CORRECTED
    assert (answered.score_before, answered.score_after) == (
        Decimal("40"),
        Decimal("100"),
    )
    assert score_of(past, 1, past.ethics).score == 100
    event = AuditEvent.objects.get(after__action="recheck_answered")
    assert event.before == {"score": "40.0"} and event.after["score"] == "100.0"
    told = Notification.objects.get(title="成绩复查结果")
    assert told.user == score.application.applicant and "100.0分" in told.body
    with pytest.raises(services.Refused, match="已经答复"):
        services.answer_recheck(recheck, "再答", by=past.admin)


def test_an_unchanged_recheck_keeps_the_score(past):
    release(past)
    score = score_of(past, 1, past.skill)
    recheck = services.ask_recheck(
        score, "请核对", by=score.application.applicant, now=aware(RELEASED, 15)
    )
    answered = services.answer_recheck(recheck, "无误", by=past.admin)
    assert answered.outcome == Recheck.Outcome.UNCHANGED
    assert score_of(past, 1, past.skill).score == 0


# ---- the score import ----


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["准考证号", "姓名", "科目", "成绩"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_(past: Past, rows: list[list[object]]) -> int:
    return services.import_scores(
        past.campaign, None, workbook(rows), "scores.xlsx", by=past.admin
    )


def test_an_import_with_one_bad_row_writes_nothing(past):
    name = past.paper.application.applicant.name
    rows = [
        [past.paper.number, name, "职业道德", 88],
        [past.paper.number, name, "岗位技能", "八十"],
        ["T2099999999", "某某", "职业道德", 70],
        [past.paper.number, "别人", "岗位技能", 70],
        [past.paper.number, name, "高等数学", 70],
        [past.paper.number, name, "ethics", 101],
    ]
    with pytest.raises(services.ImportRefused) as refused:
        import_(past, rows)
    errors = refused.value.errors
    assert errors[0].startswith("第3行：成绩“八十”")
    assert any(e.startswith("第4行：准考证号T2099999999") for e in errors)
    assert any(e.startswith("第5行：姓名与准考证号") for e in errors)
    assert any(e.startswith("第6行：“高等数学”不是4级的考试科目") for e in errors)
    assert any(e.startswith("第7行：成绩101.0超过职业道德满分") for e in errors)
    assert not SubjectScore.objects.exists()
    assert not AuditEvent.objects.filter(after__action="import").exists()


def test_an_import_is_released_at_once_and_counts_like_the_test(past):
    name = past.paper.application.applicant.name
    assert (
        import_(
            past,
            [
                [past.paper.number, name, "职业道德", "60"],
                [past.paper.number, name, "skill", 75.5],
            ],
        )
        == 2
    )
    paper = past.paper.application
    assert queries.verdict_of(paper).state is State.PASSED
    assert AuditEvent.objects.filter(after__action="import").exists()
    assert Notification.objects.filter(user=paper.applicant).exists()


def test_an_import_leaves_a_computer_based_subject_to_its_release(past):
    name = past.seats[2].application.applicant.name
    with pytest.raises(services.ImportRefused) as refused:
        import_(past, [[past.tickets[2].number, name, "职业道德", "60"]])
    assert refused.value.errors == [
        "第2行：职业道德由人机对话考试产生，请在该场次发布成绩。"
    ]


def test_an_import_refuses_a_withdrawn_candidate(past):
    past.paper.withdrawn_at = timezone.now()
    past.paper.save()
    name = past.paper.application.applicant.name
    with pytest.raises(services.ImportRefused, match="已放弃考试"):
        import_(past, [[past.paper.number, name, "职业道德", "60"]])


def test_an_import_never_overwrites_a_released_score(past):
    release(past)
    name = past.seats[0].application.applicant.name
    with pytest.raises(services.ImportRefused) as refused:
        import_(past, [[past.tickets[0].number, name, "职业道德", "缺考"]])
    assert "已有成绩" in refused.value.errors[0]
    assert score_of(past, 0, past.ethics).score == 100


def test_an_imported_score_is_corrected_to_the_checked_total(past):
    name = past.paper.application.applicant.name
    import_(past, [[past.paper.number, name, "职业道德", 58]])
    score = past.paper.application.subject_scores.get(subject=past.ethics)
    recheck = services.ask_recheck(
        score, "合分有误", by=score.application.applicant, now=timezone.now()
    )
    services.answer_recheck(recheck, "合分更正", corrected=Decimal("62"), by=past.admin)
    score.refresh_from_db()
    assert score.score == 62


def test_a_correction_that_fails_a_published_pass_withdraws_it(past, city_office):
    name = past.paper.application.applicant.name
    import_(
        past,
        [
            [past.paper.number, name, "职业道德", 60],
            [past.paper.number, name, "岗位技能", 60],
        ],
    )
    publication = services.publish(past.campaign, None, city_office, by=past.admin)
    entry = publication.entries.get(application=past.paper.application)
    score = past.paper.application.subject_scores.get(subject=past.skill)
    recheck = services.ask_recheck(
        score, "合分有误", by=score.application.applicant, now=timezone.now()
    )
    services.answer_recheck(
        recheck, "合分多计10分", corrected=Decimal("50"), by=past.admin
    )
    entry.refresh_from_db()
    assert entry.withdrawn_reason == "成绩复查更正：合分多计10分"


def test_an_open_recheck_holds_the_person_back_from_publication(past, city_office):
    release(past)
    score = score_of(past, 0, past.skill)
    services.ask_recheck(
        score, "请核对", by=score.application.applicant, now=aware(RELEASED, 15)
    )
    with pytest.raises(services.Refused, match="没有可公示"):
        services.publish(past.campaign, None, city_office, by=past.admin)


def test_no_irregularity_is_recorded_after_the_release(past):
    release(past)
    category = factories.IrregularityCategoryFactory.create()
    with pytest.raises(cbt_services.Refused, match="成绩已发布"):
        cbt_services.record_irregularity(
            past.seats[0], category, "事后发现", by=past.admin
        )


# ---- publication and objections ----

PUBLISHED = date(2025, 11, 14)  # a Friday


def publish(past: Past, city_office) -> Publication:
    release(past)
    return services.publish(
        past.campaign, None, city_office, by=past.admin, now=aware(PUBLISHED)
    )


def test_publication_lists_who_passed_for_five_working_days(past, city_office):
    found = publish(past, city_office)
    assert found.ends_on == date(2025, 11, 21)
    entries = list(found.entries.all())
    assert [e.application_id for e in entries] == [past.seats[0].application_id]
    assert entries[0].name == past.seats[0].application.applicant.name
    with pytest.raises(services.Refused, match="没有可公示"):
        services.publish(
            past.campaign, None, city_office, by=past.admin, now=aware(PUBLISHED)
        )


def test_objections_are_taken_to_the_last_day_only(past, city_office):
    found = publish(past, city_office)
    entry = found.entries.get()
    services.file_objection(
        entry,
        "业绩不实",
        "王先生",
        "13912345678",
        now=timezone.make_aware(datetime(2025, 11, 21, 23, 30)),
    )
    with pytest.raises(services.Refused, match="公示期已结束"):
        services.file_objection(
            entry, "业绩不实", "王先生", "13912345678", now=aware(date(2025, 11, 22), 8)
        )
    with pytest.raises(services.Refused, match="联系电话"):
        services.file_objection(
            entry, "业绩不实", "王先生", "abc", now=aware(PUBLISHED)
        )


def test_the_result_is_final_after_the_period_with_every_objection_answered(
    past, city_office
):
    found = publish(past, city_office)
    objection = services.file_objection(
        found.entries.get(),
        "业绩不实",
        "王先生",
        "13912345678",
        now=aware(PUBLISHED, 15),
    )
    assert not queries.is_final(found, today=date(2025, 11, 21))
    assert not queries.is_final(found, today=date(2025, 11, 24))  # unanswered
    services.answer_objection(objection, False, "经核实不成立", by=past.admin)
    assert queries.is_final(found, today=date(2025, 11, 24))
    assert state(past, 0) is State.PASSED


def test_an_upheld_objection_withdraws_the_result(past, city_office):
    found = publish(past, city_office)
    entry = found.entries.get()
    objection = services.file_objection(
        entry, "业绩不实", "王先生", "13912345678", now=aware(PUBLISHED, 15)
    )
    services.answer_objection(objection, True, "业绩材料系伪造", by=past.admin)
    # A second objection upheld on the withdrawn entry is still answered.
    late = factories.ObjectionFactory.create(entry=entry)
    services.answer_objection(late, True, "同上", by=past.admin)
    entry.refresh_from_db()
    assert entry.withdrawn_reason == "异议成立：业绩材料系伪造"
    verdict = queries.verdict_of(past.seats[0].application)
    assert verdict.state is State.FAILED
    assert "公示期间撤销" in verdict.reasons[0]
    # Withdrawn is failed: the next publication does not list them again.
    with pytest.raises(services.Refused, match="没有可公示"):
        services.publish(past.campaign, None, city_office, by=past.admin)
    assert AuditEvent.objects.filter(after__action="withdrawn").exists()


def test_settings_are_bounded(campaign, office_admin):
    with pytest.raises(services.Refused):
        services.save_settings(
            campaign,
            recheck_days=0,
            recheck_answer_days=7,
            publication_days=5,
            by=office_admin,
        )
    services.save_settings(
        campaign,
        recheck_days=3,
        recheck_answer_days=7,
        publication_days=7,
        by=office_admin,
    )
    assert queries.settings_of(campaign).recheck_days == 3

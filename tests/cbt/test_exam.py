"""The computer-based test through its services: login at the seat, the
server's timer, answers with sequence numbers, submission and time-up,
the proctor's actions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gongkao.cbt import queries, sealing, services
from gongkao.cbt.models import Answer, Attempt, IrregularityCategory
from gongkao.core.models import AuditEvent
from gongkao.questions import papers
from gongkao.questions.models import Question
from tests import factories
from tests.cbt.conftest import at, log_in, ticket_of

pytestmark = pytest.mark.django_db


def started(exam, duty, n=0, minutes=0.0):
    found = log_in(exam, n)
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, minutes))
    first = Attempt.objects.get(seat=exam.seats[n], order=1)
    return found, first


def key_of(attempt: Attempt) -> dict[int, str]:
    """Position → the correct letters of the paper's question there."""
    questions = Question.objects.in_bulk([item[0] for item in attempt.paper.items])
    return {
        n: questions[item[0]].answer
        for n, item in enumerate(attempt.paper.items, start=1)
    }


def test_login_needs_the_ticket_and_the_matching_id_number(exam):
    seat = exam.seats[0]
    other = exam.seats[1].application.applicant.id_number
    with pytest.raises(services.Refused, match="不正确"):
        services.login(ticket_of(seat).number, other, now=at(exam, -10))
    with pytest.raises(services.Refused, match="不正确"):
        services.login(
            "NOSUCHTICKET", seat.application.applicant.id_number, now=at(exam, -10)
        )
    with pytest.raises(services.Refused, match="还未到登录时间"):
        log_in(exam, minutes=-60)
    found = log_in(exam)
    assert found.seat == seat
    assert list(
        Attempt.objects.filter(seat=seat).values_list("order", "subject__code")
    ) == [
        (1, "ethics"),
        (2, "skill"),
    ]
    assert Attempt.objects.get(seat=seat, order=1).state == "waiting"


def test_a_second_login_needs_the_proctors_move(exam, duty):
    found = log_in(exam)
    with pytest.raises(services.Refused, match="监考人员授权"):
        log_in(exam)
    services.authorise_move(exam.seats[0], "备用01", by=duty.user)
    moved = log_in(exam)
    assert (moved.pk, moved.version, moved.pc) == (found.pk, 2, "备用01")
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 0))
    attempt = Attempt.objects.get(seat=exam.seats[0], order=1)
    # The old PC's login no longer saves anything.
    with pytest.raises(services.Refused, match="登录已失效"):
        services.save_answer(
            found.pk, 1, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, 1)
        )
    services.save_answer(
        found.pk, 2, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, 1)
    )


def test_late_login_after_the_entry_limit_needs_the_door(exam, duty):
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 0))
    with pytest.raises(services.Refused, match="未经入场登记"):
        log_in(exam, 1, minutes=31)
    factories.AttendanceFactory.create(seat=exam.seats[1], late_reason="交通事故")
    log_in(exam, 1, minutes=31)
    first = Attempt.objects.get(seat=exam.seats[1], order=1)
    # A latecomer's clock runs from the room's start.
    assert (first.state, first.started_at) == ("answering", at(exam, 0))


def test_answers_keep_the_newest_sequence_number(exam, duty):
    found, attempt = started(exam, duty)

    def save(choice, seq, minutes=1.0):
        return services.save_answer(
            found.pk,
            found.version,
            attempt.pk,
            3,
            choice,
            marked=False,
            seq=seq,
            now=at(exam, minutes),
        )

    save("A", 1)
    save("B", 3)
    save("C", 2)  # stale: sent earlier, arrived later
    save("C", 3)  # a repeat of seq 3 changes nothing
    answer = Answer.objects.get(attempt=attempt, position=3)
    assert (answer.choice, answer.seq) == ("B", 3)
    save("dc", 4)
    assert Answer.objects.get(attempt=attempt, position=3).choice == "CD"
    with pytest.raises(services.Refused, match="答案无效"):
        save("Z", 5)
    with pytest.raises(services.Refused, match="没有这道题"):
        services.save_answer(
            found.pk,
            found.version,
            attempt.pk,
            99,
            "A",
            marked=False,
            seq=6,
            now=at(exam, 1),
        )


def test_no_answer_before_the_start_and_none_after_the_end(exam, duty):
    found = log_in(exam)
    attempt = Attempt.objects.get(seat=exam.seats[0], order=1)
    with pytest.raises(services.Refused, match="尚未开始"):
        services.save_answer(
            found.pk, 1, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, -1)
        )
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 0))
    services.save_answer(
        found.pk, 1, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, 59)
    )
    # Inside the grace after the end: still taken.
    services.save_answer(
        found.pk, 1, attempt.pk, 2, "A", marked=False, seq=2, now=at(exam, 60.4)
    )
    with pytest.raises(services.Refused, match="时间已到"):
        services.save_answer(
            found.pk, 1, attempt.pk, 3, "A", marked=False, seq=3, now=at(exam, 61)
        )
    attempt.refresh_from_db()
    assert (attempt.state, attempt.ending, attempt.ended_at) == (
        "submitted",
        "time_up",
        at(exam, 60),
    )
    assert attempt.answers.count() == 2
    # The next subject opened at the end of this one.
    second = Attempt.objects.get(seat=exam.seats[0], order=2)
    assert second.state == "answering"


def test_an_attempt_left_open_is_closed_with_its_answers(exam, duty):
    found, attempt = started(exam, duty)
    key = key_of(attempt)
    for position in (1, 2):
        services.save_answer(
            found.pk,
            1,
            attempt.pk,
            position,
            key[position],
            marked=False,
            seq=position,
            now=at(exam, 5),
        )
    assert services.close_expired(now=at(exam, 30)) == 0
    assert services.close_expired(now=at(exam, 61)) == 1
    attempt.refresh_from_db()
    points = {
        n: Decimal(item[2]) for n, item in enumerate(attempt.paper.items, start=1)
    }
    assert attempt.state == "submitted" and attempt.score == points[1] + points[2]


def test_submission_scores_and_opens_the_next_subject(exam, duty):
    found, attempt = started(exam, duty)
    for position, letters in key_of(attempt).items():
        services.save_answer(
            found.pk,
            1,
            attempt.pk,
            position,
            letters,
            marked=False,
            seq=position,
            now=at(exam, 10),
        )
    with pytest.raises(services.Refused, match="30分钟后才能交卷"):
        services.submit(attempt, now=at(exam, 10))
    services.submit(attempt, now=at(exam, 40))
    attempt.refresh_from_db()
    assert (attempt.score, attempt.ending) == (Decimal("100.0"), "submitted")
    second = Attempt.objects.get(seat=exam.seats[0], order=2)
    assert (second.state, second.started_at) == ("answering", at(exam, 40))
    # A submitted subject cannot be reopened.
    with pytest.raises(services.Refused, match="已交卷"):
        services.save_answer(
            found.pk, 1, attempt.pk, 1, "A", marked=False, seq=99, now=at(exam, 41)
        )


def test_partial_credit_is_the_blueprints_setting(exam, duty):
    exam.sitting.paper_sets.update(multiple_partial=True)
    found, attempt = started(exam, duty)
    key = key_of(attempt)
    multiple = next(n for n, letters in key.items() if len(letters) > 1)
    services.save_answer(
        found.pk,
        1,
        attempt.pk,
        multiple,
        key[multiple][0],
        marked=False,
        seq=1,
        now=at(exam, 5),
    )
    services.submit(attempt, now=at(exam, 40))
    attempt.refresh_from_db()
    assert attempt.score == Decimal(
        "15.0"
    )  # one of two correct options of a 30-point question


def test_pause_gives_the_lost_time_back_and_extra_time_adds(exam, duty):
    found, attempt = started(exam, duty)
    seat = exam.seats[0]
    services.pause(seat, by=duty.user, now=at(exam, 10))
    with pytest.raises(services.Refused, match="暂停"):
        services.save_answer(
            found.pk, 1, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, 11)
        )
    services.resume(seat, by=duty.user, now=at(exam, 15))
    services.give_extra_time(seat, 3, "机器故障", by=duty.user)
    attempt.refresh_from_db()
    assert attempt.ends_at() == at(exam, 60 + 5 + 3)
    services.save_answer(
        found.pk, 1, attempt.pk, 1, "A", marked=False, seq=1, now=at(exam, 67)
    )
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.CBT_ACTION).count() == 4
    )  # start, pause, resume, extra


def test_the_whole_room_pauses_and_resumes(exam, duty):
    log_in(exam, 0)
    log_in(exam, 1)
    services.start_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 0))
    assert (
        services.pause_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 20))
        == 2
    )
    assert (
        services.resume_room(exam.sitting, duty.room, by=duty.user, now=at(exam, 30))
        == 2
    )
    for attempt in Attempt.objects.filter(order=1):
        assert attempt.ends_at() == at(exam, 70)


def test_force_submit_and_an_irregularity_voiding_all_subjects(exam, duty):
    found, attempt = started(exam, duty)
    seat = exam.seats[0]
    services.force_submit(seat, by=duty.user)
    attempt.refresh_from_db()
    assert attempt.ending == "forced"
    serious = IrregularityCategory.objects.create(
        code="t-all", act="使用通讯设备", voids="all"
    )
    services.record_irregularity(seat, serious, "考试中使用手机", by=duty.user)
    assert set(Attempt.objects.filter(seat=seat).values_list("voided", flat=True)) == {
        "使用通讯设备"
    }
    minor = IrregularityCategory.objects.create(
        code="t-one", act="旁窥", voids="subject"
    )
    other = exam.seats[1]
    log_in(exam, 1)
    services.record_irregularity(other, minor, "左顾右盼", by=duty.user)
    assert list(
        Attempt.objects.filter(seat=other)
        .order_by("order")
        .values_list("voided", flat=True)
    ) == ["旁窥", ""]
    with pytest.raises(services.Refused, match="情况说明"):
        services.record_irregularity(other, minor, "  ", by=duty.user)


def test_the_paper_is_sealed_until_the_start(client, exam, duty):
    found = log_in(exam)
    attempt = Attempt.objects.get(seat=exam.seats[0], order=1)
    box = sealing.seal(b"x", sealing.key_for(attempt.paper_id))
    assert sealing.unseal(*box, sealing.key_for(attempt.paper_id)) == b"x"
    content = queries.paper_content(attempt)
    plain = json.dumps(content, ensure_ascii=False).encode()
    nonce, sealed = sealing.seal(plain, sealing.key_for(attempt.paper_id))
    assert content["questions"][0]["stem"].encode() not in sealed.encode()
    assert (
        json.loads(sealing.unseal(nonce, sealed, sealing.key_for(attempt.paper_id)))
        == content
    )
    assert "answer" not in content["questions"][0]
    assert found.version == 1


def test_papers_logged_in_to_are_never_built_again(exam):
    """Before the doors by the clock, but a candidate holds a paper: the
    build refuses rather than delete the attempt and its answers."""
    log_in(exam)
    with pytest.raises(papers.CannotBuild, match="考生已登录作答"):
        papers.build_papers(exam.sitting, by=None, before_doors_only=False)
    assert Attempt.objects.filter(seat=exam.seats[0]).exists()

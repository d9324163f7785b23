"""Blueprints, papers built before the sitting, rebuilt from their seed, and
no question served before the start."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gongkao.core.models import AuditEvent
from gongkao.questions import drawing, papers, queries, services
from gongkao.questions.models import Paper, PaperSet, Question
from tests import factories
from tests.questions.conftest import BACKEND, past

pytestmark = pytest.mark.django_db


def pool(
    n: int,
    kind: str = "single",
    kp: str = "",
    difficulty: int | None = None,
    start: int = 0,
):
    return [drawing.PoolQuestion(start + i, kind, kp, difficulty, 4) for i in range(n)]


def test_specific_rows_draw_first_and_rows_never_compete():
    rows = [drawing.Row("single", 3), drawing.Row("single", 2, "安全")]
    questions = pool(3) + pool(2, kp="安全", start=10)
    assert drawing.shortfalls(rows, questions) == []
    items = drawing.draw(rows, questions, {"single": Decimal(1)}, seed=1)
    assert sorted(i.question_id for i in items) == [0, 1, 2, 10, 11]
    # One 安全 question fewer: the specific row is short, whatever the seed.
    missing = drawing.shortfalls(rows, questions[:-1])
    assert missing == [drawing.Shortfall(rows[1], 1)]
    with pytest.raises(drawing.CannotFill):
        drawing.draw(rows, questions[:-1], {"single": Decimal(1)}, seed=2)


def test_a_seed_gives_the_same_paper_and_another_seed_another_order():
    rows = [
        drawing.Row("judge", 5),
        drawing.Row("single", 10),
        drawing.Row("multiple", 5),
    ]
    questions = (
        pool(10, "judge")
        + pool(20, "single", start=100)
        + pool(10, "multiple", start=200)
    )
    points = {"judge": Decimal(1), "single": Decimal(2), "multiple": Decimal(15)}
    first = drawing.draw(rows, questions, points, seed=42)
    assert first == drawing.draw(rows, questions, points, seed=42)
    assert first != drawing.draw(rows, questions, points, seed=43)
    # Types in print order; true/false options never move; others are a permutation.
    assert [i.question_id // 100 for i in first] == [0] * 5 + [1] * 10 + [2] * 5
    assert all(i.order == "" for i in first[:5])
    assert all(sorted(i.order) == list("ABCD") for i in first[5:])
    assert drawing.total_points(rows, points) == Decimal(100)


def test_a_blueprint_must_add_up_to_full_marks(world, bank_staff):
    with pytest.raises(services.BlueprintRefused, match="合计为90分，应为满分100分"):
        services.save_blueprint(
            world.ethics,
            points={
                "single": Decimal(10),
                "judge": Decimal(10),
                "multiple": Decimal(30),
            },
            multiple_partial=False,
            rows=[
                drawing.Row("single", 3),
                drawing.Row("judge", 3),
                drawing.Row("multiple", 1),
            ],
            by=bank_staff,
        )


def test_papers_are_built_for_every_candidate_and_subject(world, bank_staff):
    built = papers.build_papers(world.sitting, by=bank_staff)
    assert built == 12
    assert (
        PaperSet.objects.filter(sitting=world.sitting).count() == 3
    )  # ethics, skill × 2
    for seat in world.seats:
        skill = Paper.objects.get(seat=seat, subject=world.skill)
        questions = Question.objects.in_bulk([i[0] for i in skill.items])
        assert {q.job_type_id for q in questions.values()} == {
            seat.application.job_type_id
        }
        assert sum(Decimal(i[2]) for i in skill.items) == Decimal(100)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PAPERS_BUILT).count() == 1


def test_every_paper_rebuilds_from_its_seed_identically(world, bank_staff):
    papers.build_papers(world.sitting, by=bank_staff)
    for paper in Paper.objects.all():
        assert papers.rebuild(paper) == paper.items
    orders = {
        tuple(tuple(i) for i in p.items)
        for p in Paper.objects.filter(subject=world.ethics)
    }
    assert len(orders) > 1  # shuffled per candidate


def test_a_paper_keeps_its_version_when_the_question_is_edited(
    world, bank_staff, city_office
):
    papers.build_papers(world.sitting, by=bank_staff)
    paper = Paper.objects.filter(subject=world.ethics).first()
    assert paper is not None
    first_id = paper.items[0][0]
    old = Question.objects.get(pk=first_id)
    from gongkao.questions import exchange  # noqa: PLC0415

    parsed = exchange.parse_row(
        1,
        {
            "题型": old.get_kind_display(),
            "科目": "职业道德",
            "等级": "4",
            "题干": "改过的题干",
            "选项A": "甲",
            "选项B": "乙",
            "答案": "A",
        },
        lambda _: None,
    )
    assert isinstance(parsed, exchange.ParsedQuestion)
    services.save_question(city_office, old.uid, parsed, by=bank_staff)
    paper.refresh_from_db()
    assert paper.items[0][0] == first_id
    assert queries.paper_questions(paper)[first_id].stem == old.stem
    assert papers.rebuild(paper) == paper.items  # the set recorded its pool


def test_a_blueprint_the_bank_cannot_fill_is_reported_before_the_sitting(
    world, bank_staff, city_office
):
    Question.objects.filter(
        subject="skill", job_type=world.driver, kind="multiple"
    ).update(status="retired")
    checks = {c.group.label: c for c in queries.readiness(world.sitting)}
    short = checks[f"{world.skill}（{world.driver.name}）"]
    assert not short.ready and short.missing[0].have == 0
    with pytest.raises(papers.CannotBuild) as refused:
        papers.build_papers(world.sitting, by=bank_staff)
    assert refused.value.problems == [
        f"{world.skill}（{world.driver.name}）：多选需要1题，题库只有0题"
    ]
    assert not Paper.objects.exists()


def test_a_subject_without_blueprint_cannot_be_built(world, bank_staff):
    world.skill.blueprint.delete()
    with pytest.raises(papers.CannotBuild, match="尚未制定组卷规则"):
        papers.build_papers(world.sitting, by=bank_staff)


def test_papers_are_fixed_once_the_doors_open(world, bank_staff):
    # A fixed morning: ten minutes ahead never wraps past midnight.
    with time_machine.travel("2025-06-14 08:50 +0800", tick=False):
        now = timezone.localtime()
        world.sitting.date = now.date()
        world.sitting.start_time = (now + timedelta(minutes=10)).time()
        world.sitting.save()
        with pytest.raises(papers.CannotBuild, match="考生已开始入场"):
            papers.build_papers(world.sitting, by=bank_staff)


def test_the_bank_of_an_office_above_serves_the_city(world, bank_staff, city_office):
    province = factories.DivisionFactory.create(
        code="410000", name="河南省", kind="province"
    )
    world.campaign.division.parent = province
    world.campaign.division.save()
    top = factories.ExamOfficeFactory.create(division=province)
    factories.QuestionFactory.create(office=top, subject="ethics", level=4)
    # Another city's bank does not.
    factories.QuestionFactory.create(
        office=factories.ExamOfficeFactory.create(), subject="ethics", level=4
    )
    offices = {q.office_id for q in queries.pool(world.campaign, world.ethics, None)}
    assert offices == {city_office.pk, top.pk}


def test_no_question_is_served_before_the_sitting_starts(client, world, bank_staff):
    papers.build_papers(world.sitting, by=bank_staff)
    seat = world.seats[0]
    paper = Paper.objects.get(seat=seat, subject=world.ethics)
    url = reverse("questions:candidate_paper", args=[paper.pk])
    client.force_login(seat.application.applicant, backend=BACKEND)
    response = client.get(url)
    assert response.status_code == 403
    body = response.content.decode()
    stems = Question.objects.filter(pk__in=[i[0] for i in paper.items]).values_list(
        "stem", flat=True
    )
    assert "考试尚未开始" in json.loads(body)["error"]
    assert not any(stem in body for stem in stems)

    past(world.sitting)
    data = json.loads(client.get(url).content)
    assert len(data["questions"]) == 8
    first = data["questions"][0]
    question = Question.objects.get(pk=paper.items[0][0])
    assert first["stem"] == question.stem
    assert "answer" not in first and "explanation" not in first
    # The options in the paper's order.
    order = paper.items[0][1]
    if order:
        assert first["options"] == [question.options[ord(c) - 65] for c in order]


def test_another_candidates_paper_is_a_404(client, world, bank_staff):
    papers.build_papers(world.sitting, by=bank_staff)
    past(world.sitting)
    other = Paper.objects.filter(seat=world.seats[1]).first()
    assert other is not None
    client.force_login(world.seats[0].application.applicant, backend=BACKEND)
    assert (
        client.get(reverse("questions:candidate_paper", args=[other.pk])).status_code
        == 404
    )
    client.force_login(bank_staff, backend=BACKEND)
    assert (
        client.get(reverse("questions:candidate_paper", args=[other.pk])).status_code
        == 404
    )

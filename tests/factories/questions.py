"""The question bank: questions (raw rows, approved by default), blueprints
with their rows, and question-bank staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from gongkao.accounts.models import Role, User
from gongkao.exams.models import Subject
from gongkao.organizations.models import ExamOffice
from gongkao.questions.exchange import fingerprint
from gongkao.questions.models import (
    Blueprint,
    BlueprintRow,
    Paper,
    PaperSet,
    Question,
)
from tests.factories.accounts import staff
from tests.factories.exams import SeatAssignmentFactory, SittingFactory, SubjectFactory
from tests.factories.organizations import ExamOfficeFactory


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    """An approved level-4 职业道德 single-choice question with four options."""

    class Meta:
        model = Question

    office = factory.SubFactory(ExamOfficeFactory)
    uid = factory.Sequence(lambda n: f"T-{n:05d}")
    subject = "ethics"
    level = 4
    kind = Question.Kind.SINGLE
    stem = factory.Sequence(lambda n: f"第{n}题：下列做法正确的是（　）。")
    options = factory.LazyFunction(lambda: ["甲", "乙", "丙", "丁"])
    answer = "A"
    difficulty = 3
    status = Question.Status.APPROVED
    fingerprint = factory.LazyAttribute(lambda o: fingerprint(o.stem, o.options))

    class Params:
        judge = factory.Trait(kind=Question.Kind.JUDGE, options=["对", "错"])
        multiple = factory.Trait(kind=Question.Kind.MULTIPLE, answer="AC")


class BlueprintFactory(factory.django.DjangoModelFactory[Blueprint]):
    """A blueprint with no rows (see `blueprint` for one with rows)."""

    class Meta:
        model = Blueprint

    subject = factory.SubFactory(SubjectFactory)


class BlueprintRowFactory(factory.django.DjangoModelFactory[BlueprintRow]):
    class Meta:
        model = BlueprintRow

    blueprint = factory.SubFactory(BlueprintFactory)
    kind = Question.Kind.SINGLE
    count = 10


class PaperSetFactory(factory.django.DjangoModelFactory[PaperSet]):
    """A raw set record (papers are built by questions.papers.build_papers)."""

    class Meta:
        model = PaperSet

    sitting = factory.SubFactory(SittingFactory)
    subject = factory.SubFactory(SubjectFactory)
    rows = factory.LazyFunction(lambda: [["single", 1, "", None]])
    points = factory.LazyFunction(
        lambda: {"single": "100", "multiple": "0", "judge": "0"}
    )
    pool = factory.LazyFunction(lambda: [1])
    built_at = factory.LazyFunction(timezone.now)


class PaperFactory(factory.django.DjangoModelFactory[Paper]):
    """A raw paper row."""

    class Meta:
        model = Paper

    seat = factory.SubFactory(SeatAssignmentFactory)
    subject = factory.SubFactory(SubjectFactory)
    paper_set = factory.SubFactory(PaperSetFactory)
    seed = 1
    items = factory.LazyFunction(lambda: [[1, "ABCD", "100"]])
    built_at = factory.LazyFunction(timezone.now)


def blueprint(
    subject: Subject,
    rows: list[tuple[str, int]],
    *,
    points: dict[str, Decimal] | None = None,
    **fields: Any,
) -> Blueprint:
    """A subject's blueprint with `rows` of (kind, count); points per type default to 1 (single, judge) and 2 (multiple)."""
    points = points or {}
    found = Blueprint.objects.create(
        subject=subject,
        single_points=points.get("single", Decimal("1")),
        multiple_points=points.get("multiple", Decimal("2")),
        judge_points=points.get("judge", Decimal("1")),
        **fields,
    )
    for order, (kind, count) in enumerate(rows):
        BlueprintRow.objects.create(
            blueprint=found, kind=kind, count=count, order=order
        )
    return found


def question_bank_staff(office: ExamOffice | None = None, **user: Any) -> User:
    """题库管理人员 of `office` (a new one if none)."""
    return staff(
        Role.QUESTION_BANK, office=office or ExamOfficeFactory.create(), **user
    )

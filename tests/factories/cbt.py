"""The computer-based test: raw rows for query tests (the exam itself goes
through gongkao.cbt.services)."""

from __future__ import annotations

import factory
from django.utils import timezone

from gongkao.cbt.models import (
    Answer,
    Attempt,
    CbtSettings,
    ExamLogin,
    Irregularity,
    IrregularityCategory,
    RoomAccess,
    RoomSession,
    ScoreRelease,
    VoidedQuestion,
)
from tests.factories.accounts import UserFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.exams import RoomFactory, SeatAssignmentFactory, SittingFactory
from tests.factories.questions import PaperFactory, QuestionFactory


class CbtSettingsFactory(factory.django.DjangoModelFactory[CbtSettings]):
    class Meta:
        model = CbtSettings
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(CampaignFactory)


class RoomSessionFactory(factory.django.DjangoModelFactory[RoomSession]):
    class Meta:
        model = RoomSession

    sitting = factory.SubFactory(SittingFactory)
    room = factory.SubFactory(RoomFactory)


class ExamLoginFactory(factory.django.DjangoModelFactory[ExamLogin]):
    class Meta:
        model = ExamLogin

    seat = factory.SubFactory(SeatAssignmentFactory)
    logged_in_at = factory.LazyFunction(timezone.now)


class AttemptFactory(factory.django.DjangoModelFactory[Attempt]):
    """A waiting attempt of a raw paper (one question)."""

    class Meta:
        model = Attempt

    paper = factory.SubFactory(PaperFactory)
    seat = factory.SelfAttribute("paper.seat")
    subject = factory.SelfAttribute("paper.subject")
    order = 1
    duration_seconds = 3600
    n_items = 1


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    attempt = factory.SubFactory(AttemptFactory)
    position = 1
    choice = "A"
    seq = 1
    saved_at = factory.LazyFunction(timezone.now)


class IrregularityCategoryFactory(
    factory.django.DjangoModelFactory[IrregularityCategory]
):
    class Meta:
        model = IrregularityCategory

    code = factory.Sequence(lambda n: f"test-{n}")
    act = "考试中旁窥"
    voids = IrregularityCategory.Voids.SUBJECT


class IrregularityFactory(factory.django.DjangoModelFactory[Irregularity]):
    class Meta:
        model = Irregularity

    seat = factory.SubFactory(SeatAssignmentFactory)
    category = factory.SubFactory(IrregularityCategoryFactory)
    note = "与邻座交谈"
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = factory.LazyFunction(timezone.now)


class VoidedQuestionFactory(factory.django.DjangoModelFactory[VoidedQuestion]):
    class Meta:
        model = VoidedQuestion

    sitting = factory.SubFactory(SittingFactory)
    question = factory.SubFactory(QuestionFactory)
    mode = VoidedQuestion.Mode.AWARD
    reason = "答案有误"
    voided_by = factory.SubFactory(UserFactory)
    voided_at = factory.LazyFunction(timezone.now)


class ScoreReleaseFactory(factory.django.DjangoModelFactory[ScoreRelease]):
    class Meta:
        model = ScoreRelease

    sitting = factory.SubFactory(SittingFactory)
    released_at = factory.LazyFunction(timezone.now)
    released_by = factory.SubFactory(UserFactory)


class RoomAccessFactory(factory.django.DjangoModelFactory[RoomAccess]):
    class Meta:
        model = RoomAccess

    room = factory.SubFactory(RoomFactory)

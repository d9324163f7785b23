"""Results: raw rows for query tests (writes go through gongkao.results.services)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from gongkao.results.models import (
    Objection,
    Publication,
    PublishedResult,
    Recheck,
    ResultSettings,
    SubjectScore,
)
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.exams import SubjectFactory
from tests.factories.organizations import ExamOfficeFactory


class SubjectScoreFactory(factory.django.DjangoModelFactory[SubjectScore]):
    """An imported score of 80 in level 4 职业道德."""

    class Meta:
        model = SubjectScore

    application = factory.SubFactory(ApplicationFactory)
    subject = factory.SubFactory(SubjectFactory)
    source = SubjectScore.Source.IMPORT
    score = 80
    released_at = factory.LazyFunction(timezone.now)
    released_by = factory.SubFactory(UserFactory)


class ResultSettingsFactory(factory.django.DjangoModelFactory[ResultSettings]):
    class Meta:
        model = ResultSettings
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(CampaignFactory)


class RecheckFactory(factory.django.DjangoModelFactory[Recheck]):
    class Meta:
        model = Recheck

    score = factory.SubFactory(SubjectScoreFactory)
    reason = "成绩低于预期"
    asked_at = factory.LazyFunction(timezone.now)
    due_on = factory.LazyFunction(timezone.localdate)


class PublicationFactory(factory.django.DjangoModelFactory[Publication]):
    class Meta:
        model = Publication

    campaign = factory.SubFactory(CampaignFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    title = "2025年焦作市工勤技能岗位等级考核合格人员公示"
    published_at = factory.LazyFunction(timezone.now)
    published_by = factory.SubFactory(UserFactory)
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class PublishedResultFactory(factory.django.DjangoModelFactory[PublishedResult]):
    class Meta:
        model = PublishedResult

    publication = factory.SubFactory(PublicationFactory)
    application = factory.SubFactory(ApplicationFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = "张建国"
    unit_name = "焦作市第一中学"
    level = 4
    job_type_name = "电工"


class ObjectionFactory(factory.django.DjangoModelFactory[Objection]):
    class Meta:
        model = Objection

    entry = factory.SubFactory(PublishedResultFactory)
    reason = "业绩材料不实"
    contact_name = "王先生"
    contact_phone = "13912345678"
    filed_at = factory.LazyFunction(timezone.now)

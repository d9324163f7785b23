"""Certificates: raw rows for query tests (issuing goes through
gongkao.certificates.services)."""

from __future__ import annotations

import factory
from django.utils import timezone

from gongkao.certificates.models import (
    Certificate,
    CertificateCounter,
    CertificateSettings,
    Purge,
    RetentionRule,
)
from tests.factories.accounts import UserFactory
from tests.factories.applications import ApplicationFactory
from tests.factories.campaigns import CampaignFactory
from tests.factories.organizations import ExamOfficeFactory


class CertificateSettingsFactory(
    factory.django.DjangoModelFactory[CertificateSettings]
):
    class Meta:
        model = CertificateSettings
        django_get_or_create = ("campaign",)

    campaign = factory.SubFactory(CampaignFactory)


class CertificateCounterFactory(factory.django.DjangoModelFactory[CertificateCounter]):
    class Meta:
        model = CertificateCounter
        django_get_or_create = ("office", "year")

    office = factory.SubFactory(ExamOfficeFactory)
    year = 2025


class CertificateFactory(factory.django.DjangoModelFactory[Certificate]):
    """A valid level-4 certificate (no held copy on the profile)."""

    class Meta:
        model = Certificate

    application = factory.SubFactory(ApplicationFactory)
    office = factory.SubFactory(ExamOfficeFactory)
    number = factory.Sequence(lambda n: f"2025410800400{n:05d}X")
    token = factory.Sequence(lambda n: f"token-{n:010d}")
    name = "张建国"
    level = 4
    job_type_name = "电工"
    unit_name = "焦作市第一中学"
    cert_date = factory.LazyFunction(timezone.localdate)
    issued_at = factory.LazyFunction(timezone.now)
    issued_by = factory.SubFactory(UserFactory)


class RetentionRuleFactory(factory.django.DjangoModelFactory[RetentionRule]):
    class Meta:
        model = RetentionRule
        django_get_or_create = ("office", "kind")

    office = factory.SubFactory(ExamOfficeFactory)
    kind = RetentionRule.Kind.ANSWERS
    years = 3


class PurgeFactory(factory.django.DjangoModelFactory[Purge]):
    class Meta:
        model = Purge

    office = factory.SubFactory(ExamOfficeFactory)
    campaign = factory.SubFactory(CampaignFactory)
    kind = RetentionRule.Kind.ANSWERS
    count = 10
    purged_at = factory.LazyFunction(timezone.now)
    purged_by = factory.SubFactory(UserFactory)
